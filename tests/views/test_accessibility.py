"""WCAG 2.2 AA without a browser (issue 21): contrast of every chart mark, icon edge and letter worked out
with the WCAG formula (checked against published figures), signals never carried by colour alone, and
text alternatives for icons. The browser half is tests/test_browser_a11y.py."""

from __future__ import annotations

import re

import pytest

WHITE = "#FFFFFF"


def luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour '#RRGGBB'."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str = WHITE) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colour, ratio", [
    ("#000000", 21.0),   # the scale's ends
    ("#767676", 4.54),   # the lightest grey that passes 4.5:1 on white (WebAIM's published figure)
    ("#777777", 4.48),
    ("#005EB8", 6.38),   # NHS blue on white, as the NHS design system states (6.4:1)
])
def test_contrast_formula_matches_published_figures(colour, ratio):
    assert contrast(colour) == pytest.approx(ratio, abs=0.01)


def test_the_issue_figures_for_making_data_count_colours():
    # issue 21's measurements: MDC colours fail 3:1 for graphics on white
    assert contrast("#FAB428") == pytest.approx(1.81, abs=0.01)
    assert contrast("#FF6600") == pytest.approx(2.94, abs=0.01)


def svg_colours(svg: str, attribute: str) -> list[str]:
    return re.findall(rf'{attribute}="(#[0-9A-Fa-f]{{6}})"', svg)


ICONS = ["common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low", "neutral_high",
         "neutral_low"]


@pytest.mark.parametrize("icon", ICONS)
def test_variation_icons_have_an_edge_of_3_to_1_and_letters_of_4_5_to_1(icon):
    from workforce.signals.spc.icons import variation_svg

    svg = variation_svg(icon)
    strokes = svg_colours(svg, "stroke")
    assert strokes and max(contrast(c) for c in strokes) >= 3, f"{icon}: no edge of 3:1 on white ({strokes})"
    for text_colour in re.findall(r'<text[^>]*fill="(#[0-9A-Fa-f]{6})"', svg):
        assert contrast(text_colour) >= 4.5
    # every coloured dot has an edge of 3:1 (its fill keeps the MDC colour)
    for fill, stroke in re.findall(r'<circle cx="\d+" cy="\d+" r="5.5" fill="(#\w+)" stroke="(#\w+)"', svg):
        assert contrast(stroke) >= 3, (fill, stroke)
    assert 'aria-label="' in svg and "<title>" in svg  # its text alternative


@pytest.mark.parametrize("icon", ["consistent_pass", "consistent_fail", "inconsistent"])
def test_assurance_icons_have_an_edge_of_3_to_1_and_a_letter_of_4_5_to_1(icon):
    from workforce.signals.spc.icons import assurance_svg

    svg = assurance_svg(icon)
    assert max(contrast(c) for c in svg_colours(svg, "stroke")) >= 3
    letters = re.findall(r'<text[^>]*fill="(#[0-9A-Fa-f]{6})"', svg)
    assert letters and all(contrast(c) >= 4.5 for c in letters)


def spc_spec():
    import datetime as dt

    from workforce.signals.spc.chart import spc_chart
    from workforce.signals.spc.engine import analyse

    values = [10.0, 10.4, 9.8, 10.1, 10.3, 9.9, 10.2, 10.0, 9.7, 10.1, 10.2, 9.9, 10.0, 11.0, 11.5, 12.0, 12.5,
              13.0, 13.5]
    dates = [dt.date(2024 + (i // 12), i % 12 + 1, 1) for i in range(len(values))]
    result = analyse(values, dates, improvement_direction="decrease", target=9.0)
    return spc_chart(result, title="Sickness absence rate", value_format=lambda v: f"{v:.1f}%",
                     y_title="Sickness absence rate (%)", description="The reading in words.").to_dict()


def test_spc_chart_lines_and_point_edges_reach_3_to_1_and_points_differ_in_shape():
    spec = spc_spec()
    layers = [layer for top in spec["layer"] for layer in top.get("layer", [top])]
    line_colours = [layer["mark"]["color"] for layer in layers if layer["mark"].get("color")]
    for layer in layers:
        scale = layer.get("encoding", {}).get("color", {}).get("scale", {})
        if layer["mark"]["type"] == "line" and scale:
            line_colours += scale["range"]
    assert line_colours and all(contrast(c) >= 3 for c in line_colours), line_colours
    points = spec["layer"][-1]["encoding"]
    kinds = points["color"]["scale"]["domain"]
    assert "Special cause: concern" in kinds  # the series above has a signal
    assert all(contrast(c) >= 3 for c in points["stroke"]["scale"]["range"])
    assert len(set(points["shape"]["scale"]["range"])) == len(kinds)  # a shape per kind: not colour alone
    assert spec["description"] == "The reading in words."  # the chart's text alternative


def test_funnel_markers_differ_in_shape_are_named_and_the_axis_spans_the_funnel():
    import pandas as pd
    import vl_convert as vlc

    from workforce.signals.funnel import funnel
    from workforce.views.charts import funnel_chart

    points = pd.DataFrame({"org_code": list("ABCDEF"), "numerator": [30, 80, 200, 10, 100, 62],
                           "organisation": ["Alpha NHS Trust", "Beta NHS Foundation Trust", "Gamma Hospitals NHS Trust",
                                            "Delta practices (aggregate)", "Epsilon", "Zeta NHS Trust"],
                           "denominator": [1000, 2000, 3000, 400, 5000, 1200]})
    points["value"] = points["numerator"] / points["denominator"] * 100
    # by hand: centre 482 / 12,600 = 3.83%; z = (p − 0.0383) / √(0.0383 × 0.9617 / n) = 8.1 for Gamma,
    # −6.7 for Epsilon, 2.4 for Zeta (between 1.96 and 3.09), and within ±1.4 for the others
    result = funnel(points, adjust=False)
    assert list(result.points["position"]) == ["within limits", "within limits", "above 99.8% limit",
                                               "within limits", "below 99.8% limit", "above 95% limit"]
    chart = funnel_chart(result.points, result.curves, None, "Rate (%)", "Headcount")
    spec = chart.to_dict()
    dots = spec["layer"][1]["encoding"]
    assert len(set(dots["shape"]["scale"]["range"])) == 3 and all(contrast(c) >= 3 for c in dots["stroke"]["scale"]["range"])
    x = spec["layer"][0]["encoding"]["x"]["scale"]
    assert x["domain"] == [200.0, 7500.0] and x["nice"] is False  # half the smallest to 1.5 × the largest
    # round ticks at 1, 1.5, 2, 3, 5 and 7 of each power of ten inside the span, none dropped for crowding
    assert spec["layer"][0]["encoding"]["x"]["axis"]["values"] == [200, 300, 500, 700, 1000, 1500, 2000, 3000,
                                                                   5000, 7000]
    svg = vlc.vegalite_to_svg(chart.properties(width=600).to_dict())
    texts = set(re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert {"Gamma Hospitals", "Epsilon", "Zeta"} <= texts  # named, without 'NHS Trust'
    assert not {"C", "E", "F", "Alpha"} & texts  # never codes; no label inside the 95% limits
    assert {"rate of the group", "95% limits", "99.8% limits"} <= texts  # not 'ICS rate': England, a region too
    # the legend's keys show each line's dashes (colour alone tells the two limits apart by 1.9:1)
    keys = re.findall(r'role-legend-symbol"[^>]*><path [^>]*stroke="(#[0-9A-Fa-f]{6})"[^>]*stroke-dasharray="([^"]+)"', svg)
    assert keys == [("#212B32", "1,0"), ("#768692", "6,3"), ("#425563", "2,2")]  # one legend, dashes and greys


def test_funnel_explains_overdispersion_in_words_and_keeps_the_figures_for_analysts():
    import pandas as pd

    from workforce.signals.funnel import funnel

    points = pd.DataFrame({"numerator": [10, 40, 90, 160, 250], "denominator": [1000] * 5})
    points["value"] = points["numerator"] / 10
    result = funnel(points)
    assert result.adjusted
    assert "φ" not in result.plain_text and "τ" not in result.plain_text
    assert "times as much as chance alone" in result.plain_text
    assert "φ = " in result.adjustment_text and "τ²" in result.adjustment_text


def test_coverage_gaps_carry_a_mark_as_well_as_a_colour():
    import pandas as pd
    import vl_convert as vlc

    from workforce.views.quality import ABSENT, MISSING, PRESENT, coverage_chart

    cells = pd.DataFrame({"org_code": ["RWH"] * 3, "period": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01"]),
                          "status": [PRESENT, MISSING, ABSENT]})
    svg = vlc.vegalite_to_svg(coverage_chart(cells, "Headcount").to_dict())
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert texts.count("–") == 1 and texts.count("✗") == 1
    assert {f"{MISSING} –", f"{ABSENT} ✗", PRESENT} <= set(texts)
