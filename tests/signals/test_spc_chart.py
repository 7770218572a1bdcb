"""SPC chart specs, icons and narrative sentences."""

from __future__ import annotations

import base64
import datetime as dt
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from workforce.signals.spc import (PRESETS, analyse, assurance_svg, assurance_text, data_uri, icon_png,
                           summary_sentence, variation_svg, variation_text)
from workforce.signals.spc.chart import spc_chart, summary_matrix
from workforce.signals.spc.icons import ASSURANCE_ICONS, VARIATION_ICONS

SVG = "{http://www.w3.org/2000/svg}"
# The mdc 6-point trend series of test_spc_engine (points 8-13 improvement when higher is better)
TREND_SERIES = [10, 12, 10, 12, 10, 12, 10, 9, 10, 11, 12, 13, 14]


def months(n: int) -> list[dt.date]:
    return [dt.date(2025 + i // 12, i % 12 + 1, 1) for i in range(n)]


def percent(v: float) -> str:
    return f"{v:.1f}%"


def layers(spec: dict) -> list[dict]:
    """Every leaf layer of a (nested) layer spec."""
    if "layer" in spec:
        return [leaf for child in spec["layer"] for leaf in layers(child)]
    return [spec]


def mark(layer: dict) -> dict:
    return layer["mark"] if isinstance(layer["mark"], dict) else {"type": layer["mark"]}


def chart_spec(result, **kwargs) -> dict:
    chart = spc_chart(result, title="Sickness absence", value_format=percent,
                      y_title="Sickness absence rate", **kwargs)
    return chart.to_dict()


# ------------------------------------------------------------------ charts


def line_styles(spec: dict) -> dict[str, tuple[str, list]]:
    """Legend name -> (colour, dash) of the reference lines (mean, limits, target, context)."""
    leaf = next(layer for layer in layers(spec) if layer.get("encoding", {}).get("strokeDash"))
    colour, dash = leaf["encoding"]["color"]["scale"], leaf["encoding"]["strokeDash"]["scale"]
    assert colour["domain"] == dash["domain"]
    return {name: (c, d) for name, c, d in zip(colour["domain"], colour["range"], dash["range"])}


def line_names(spec: dict) -> list[str]:
    """The reference line drawn by each leaf layer (None for the data, events and points)."""
    names = []
    for layer in layers(spec):
        rows = spec["datasets"].get(layer.get("data", {}).get("name"), [{}])
        names.append(rows[0].get("line") if rows else None)
    return names


def test_spc_chart_layers_and_colours():
    dates = months(13)
    result = analyse(TREND_SERIES, dates, "increase", target=11, rebase_dates=())
    spec = chart_spec(result, events=[(dates[6], "New rota")])
    marks = [mark(layer) for layer in layers(spec)]
    data_line, mean, limits, target, event_rule, event_text, points = marks
    assert data_line == {"type": "line", "color": "#7F7F7F", "strokeWidth": 1.5}  # MDC grey at 4.0:1
    assert line_names(spec)[1:4] == ["Mean", "Process limits", "Target"]
    assert line_styles(spec) == {"Mean": ("#000000", [1, 0]), "Process limits": ("#7F7F7F", [6, 4]),
                                 "Target": ("#DE1B1B", [8, 4])}
    assert (event_rule["type"], event_text["type"]) == ("rule", "text")
    encoding = layers(spec)[-1]["encoding"]
    def by_kind(channel):  # noqa: E306
        return dict(zip(encoding[channel]["scale"]["domain"], encoding[channel]["scale"]["range"]))
    assert by_kind("color") == {  # MDC's fills, each with a shape and a darker edge: never colour alone
        "Common cause": "#A6A6A6", "Special cause: improvement": "#00B0F0", "Special cause: concern": "#E46C0A"}
    assert by_kind("shape") == {
        "Common cause": "circle", "Special cause: improvement": "square", "Special cause: concern": "triangle-up"}
    assert by_kind("stroke") == {
        "Common cause": "#6B6B6B", "Special cause: improvement": "#0072A3", "Special cause: concern": "#B34A00"}
    # lines and points have a legend each: the two colour scales are not merged
    assert spec["resolve"]["scale"]["color"] == "independent"


def test_context_line_gets_its_own_legend_entry():
    dates = months(13)
    context = pd.DataFrame({"date": dates, "value": [11.0] * 13})
    spec = chart_spec(analyse(TREND_SERIES, dates, "increase", target=11), context=context,
                      context_label="Rolling 12 months")
    assert list(line_styles(spec)) == ["Mean", "Process limits", "Target", "Rolling 12 months"]


def test_the_12_month_figures_limits_are_drawn_beside_it():
    """Issue 18: a 12-month target is judged on the 12-month figure's limits, so they are drawn
    (dotted blue, their own legend entry) beside the headline line, at the band's two values."""
    dates = months(13)
    context = pd.DataFrame({"date": dates, "value": [11.0] * 13})
    spec = chart_spec(analyse(TREND_SERIES, dates, "increase", target=11), context=context,
                      context_label="Rolling 12 months", context_band=(10.5, 11.5))
    styles = line_styles(spec)
    assert list(styles)[-2:] == ["Rolling 12 months", "12-month figure's limits"]
    assert styles["12-month figure's limits"][0] == "#005EB8"
    assert "10.5%" in str(spec) and "11.5%" in str(spec)


def test_limits_break_at_a_recalculation():
    dates = months(26)
    result = analyse(TREND_SERIES * 2, dates, rebase_dates=[dates[13]])
    spec = chart_spec(result)
    limit_layer = layers(spec)[line_names(spec).index("Process limits")]
    details = [d["field"] for d in limit_layer["encoding"]["detail"]]
    assert details == ["group", "part"]  # one line segment per period and limit


def test_tooltips_read_in_plain_words():
    spec = chart_spec(analyse(TREND_SERIES, months(13), "increase"))
    points_layer = layers(spec)[-1]
    titles = [t["title"] for t in points_layer["encoding"]["tooltip"]]
    assert titles == ["Month", "Sickness absence rate", "Variation", "Why"]
    rows = spec["datasets"][points_layer["data"]["name"]]
    assert rows[-1]["when"] == "Jan 2026" and rows[-1]["value_text"] == "14.0%"
    assert rows[-1]["point_label"] == "Special cause: improvement"
    assert rows[-1]["why"] == "6-point rising trend"


def test_trajectory_is_drawn_as_red_steps():
    trajectory = pd.DataFrame({"date": months(13)[::6], "target": [12.0, 11.0, 10.0]})
    spec = chart_spec(analyse(TREND_SERIES, months(13)), target=trajectory)
    steps = [mark(layer) for layer, name in zip(layers(spec), line_names(spec)) if name == "Target"]
    assert steps == [{"type": "line", "interpolate": "step-after", "strokeWidth": 1.5}]
    assert line_styles(spec)["Target"] == ("#DE1B1B", [8, 4])


def test_run_chart_below_thirteen_points_has_no_limits():
    result = analyse(TREND_SERIES[:10], months(10), "increase", target=11)
    spec = chart_spec(result)
    assert "Process limits" not in line_names(spec)
    assert "need at least 13" in spec["title"]["subtitle"]
    points_layer = layers(spec)[-1]
    assert points_layer["encoding"]["color"]["scale"]["range"] == ["#A6A6A6"]
    assert list(line_styles(spec)) == ["Mean", "Target"]  # target still drawn, both labelled


def test_a_few_months_are_labelled_once_each():
    # Nine months (the real sickness files, April to December 2024): Vega chose ticks every four weeks,
    # labelling June twice and December not at all. Rendered by vl-convert and read back from the SVG.
    import re

    import vl_convert

    dates = [dt.date(2024, m, 1) for m in range(4, 13)]
    result = analyse([4.5, 4.4, 4.4, 4.7, 4.3, 4.5, 4.9, 4.8, 5.0], dates, "decrease", target=4.5)
    svg = vl_convert.vegalite_to_svg(chart_spec(result, width=900))   # the KPI page's width at 1280 px
    labels = [label for label in re.findall(r">([A-Z][a-z]{2} 20\d\d)<", svg)]
    assert labels == [f"{d:%b %Y}" for d in dates]


def test_annual_data_is_a_run_chart():
    years = [dt.date(2014 + i, 4, 1) for i in range(13)]
    result = analyse(TREND_SERIES, years, "increase")
    assert not any("missing" in w for w in result.warnings)  # yearly, so no months are missing
    spec = chart_spec(result, annual=True)
    assert "Process limits" not in line_names(spec)
    # one x tick per year, placed at the points themselves
    ticks = layers(spec)[0]["encoding"]["x"]["axis"]["values"]
    assert [(t["year"], t["month"]) for t in ticks] == [(2014 + i, 4) for i in range(13)]
    assert spec["title"]["subtitle"].startswith("Annual figures")
    points_layer = layers(spec)[-1]
    assert points_layer["encoding"]["tooltip"][0]["title"] == "Year"
    assert spec["datasets"][points_layer["data"]["name"]][0]["when"] == "2014"


def test_summary_matrix_places_kpis_by_variation_and_assurance():
    grid = summary_matrix([
        {"kpi": "turnover", "label": "Turnover", "variation_icon": "concern_high",
         "assurance_icon": "consistent_fail"},
        {"kpi": "agency", "label": "Agency spend", "variation_icon": "concern_low",
         "assurance_icon": "consistent_fail"},
        {"kpi": "sickness", "label": "Sickness", "variation_icon": "common_cause",
         "assurance_icon": "inconsistent"},
        {"kpi": "survey", "label": "Engagement", "variation_icon": None, "assurance_icon": None},
    ])
    assert grid.at["Special cause concern", "Consistently failing the target"] == \
        "Turnover, Agency spend"
    assert grid.at["Common cause", "Hit and miss: target within the limits"] == "Sickness"
    assert grid.at["No variation icon: annual figure, too few points or no figures", "No target"] == "Engagement"
    assert (grid != "").sum().sum() == 3


# ------------------------------------------------------------------ icons


@pytest.mark.parametrize("icon, colour, letter", [
    ("common_cause", "#A6A6A6", None),
    ("improvement_high", "#00B0F0", "H"), ("improvement_low", "#00B0F0", "L"),
    ("concern_high", "#E46C0A", "H"), ("concern_low", "#E46C0A", "L"),
    ("neutral_high", "#490092", "H"), ("neutral_low", "#490092", "L"),
])
def test_variation_icons_are_valid_svg_in_mdc_colours(icon, colour, letter):
    root = ET.fromstring(variation_svg(icon))
    assert root.tag == f"{SVG}svg"
    ring = root.find(f"{SVG}circle")
    assert ring.get("stroke") == colour
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ([letter] if letter else [])
    assert root.find(f"{SVG}title").text == variation_text(icon)


@pytest.mark.parametrize("icon, colour, letter", [
    ("consistent_pass", "#00B0F0", "P"), ("consistent_fail", "#E46C0A", "F"),
    ("inconsistent", "#A6A6A6", "?"),
])
def test_assurance_icons_are_valid_svg_in_mdc_colours(icon, colour, letter):
    root = ET.fromstring(assurance_svg(icon))
    assert root.find(f"{SVG}circle").get("stroke") == colour
    assert [t.text for t in root.iter(f"{SVG}text")] == [letter]


def test_icon_text_equivalents():
    assert variation_text("improvement_high") == "Special cause improvement (high)"
    assert assurance_text("consistent_pass") == "Consistently passing the target"
    assert assurance_text("inconsistent") == "Hit and miss: target within the limits"
    assert len({variation_text(i) for i in VARIATION_ICONS}) == len(VARIATION_ICONS)
    assert len({assurance_text(i) for i in ASSURANCE_ICONS}) == len(ASSURANCE_ICONS)


def test_data_uri_and_png():
    svg = assurance_svg("consistent_pass")
    uri = data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg
    png = icon_png(svg, 64)
    assert png is None or png.startswith(b"\x89PNG")


def test_unknown_icon_is_an_error():
    with pytest.raises(ValueError, match="unknown icon 'improvement'"):
        variation_svg("improvement")


# ------------------------------------------------------------------ narrative


def sentence(values, direction, target=None, preset="mdc"):
    result = analyse(values, months(len(values)), direction, target=target,
                     profile=PRESETS[preset])
    return summary_sentence(result, label="Sickness absence", value_format=percent)


def test_sentence_common_cause_with_target_inside_the_limits():
    # limits of the trend series: 11.15 ± 3.99 -> 7.16 .. 15.14
    assert sentence(TREND_SERIES, "increase", target=11, preset="nhsr") == (
        "Sickness absence was 14.0% in January 2026: common cause variation, with no sign of "
        "change; the 11.0% target lies inside the limits, so it will be hit and miss.")


def test_sentence_improvement_without_target():
    assert sentence(TREND_SERIES, "increase") == (
        "Sickness absence was 14.0% in January 2026: special cause improvement — "
        "a rising trend over 6 months.")


def test_sentence_concern_and_consistent_fail():
    assert sentence(TREND_SERIES, "decrease", target=5) == (
        "Sickness absence was 14.0% in January 2026: special cause concern — a rising trend "
        "over 6 months; the 5.0% target lies below the lower limit, so it will not be met "
        "without a change in the process.")


def test_sentence_consistent_pass_and_neutral():
    assert sentence(TREND_SERIES, "increase", target=5, preset="nhsr").endswith(
        "the 5.0% target lies below the lower limit, so it will be met consistently.")
    assert sentence(TREND_SERIES, "neutral").startswith(
        "Sickness absence was 14.0% in January 2026: special cause variation (higher than "
        "usual) — a rising trend over 6 months")


def test_sentence_too_few_points():
    assert sentence(TREND_SERIES[:5], "decrease", target=11) == (
        "Sickness absence was 10.0% in May 2025. With only 5 points there are too few for "
        "process limits, so no variation signal is given; the latest value meets the 11.0% "
        "target.")


def test_sentence_shift_says_months_above_the_mean():
    shift = [12, 10, 12, 10, 12, 10, 12, 10, 11.5, 12.5, 11.5, 12.5, 11.5, 12.5]
    assert "special cause improvement — 6 months above the mean" in sentence(shift, "increase")
