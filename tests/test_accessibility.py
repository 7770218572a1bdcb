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
