"""Variation and assurance icons, drawn here as small SVGs, with text equivalents.

The meaning, colours and letters follow Making Data Count (spec §3, §5); the
drawings are our own: a ring in the icon's colour, the last few points as dots
(variation) or a letter (assurance), and H/L for a high or low special cause.
MDC's blue and grey are too light for WCAG's 3:1 on white, so every ring and dot has
an edge, and every letter is drawn, in a darker shade of its colour (EDGE: 5.3:1 or more).
"""

from __future__ import annotations

import base64

COMMON = "#A6A6A6"
IMPROVEMENT = "#00B0F0"
CONCERN = "#E46C0A"
NEUTRAL = "#490092"
INK = "#425563"  # NHS dark grey, for the "?" of hit and miss
# each MDC colour's darker shade (same hue), for edges, letters and lines: 5.3:1 or more on white
EDGE = {COMMON: "#6B6B6B", IMPROVEMENT: "#0072A3", CONCERN: "#B34A00", NEUTRAL: NEUTRAL}

VARIATION_ICONS = (
    "common_cause", "improvement_high", "improvement_low",
    "concern_high", "concern_low", "neutral_high", "neutral_low",
)
ASSURANCE_ICONS = ("consistent_pass", "consistent_fail", "inconsistent")

_VARIATION_COLOUR = {
    "common_cause": COMMON,
    "improvement_high": IMPROVEMENT, "improvement_low": IMPROVEMENT,
    "concern_high": CONCERN, "concern_low": CONCERN,
    "neutral_high": NEUTRAL, "neutral_low": NEUTRAL,
}
_VARIATION_TEXT = {
    "common_cause": "Common cause variation",
    "improvement_high": "Special cause improvement (high)",
    "improvement_low": "Special cause improvement (low)",
    "concern_high": "Special cause concern (high)",
    "concern_low": "Special cause concern (low)",
    "neutral_high": "Special cause variation, neither better nor worse (high)",
    "neutral_low": "Special cause variation, neither better nor worse (low)",
}
_ASSURANCE = {  # colour, letter, text
    "consistent_pass": (IMPROVEMENT, "P", "Consistently passing the target"),
    "consistent_fail": (CONCERN, "F", "Consistently failing the target"),
    "inconsistent": (COMMON, "?", "Hit and miss: target within the limits"),
}
_NO_ICON_TEXT = {"variation": "No variation icon: too few points",
                 "assurance": "No assurance icon: no target"}

# Five recent points (y of each dot): two ordinary ones, then three stepping up or down.
_FLAT = (52, 46, 54, 48, 52)
_HIGH = (58, 54, 56, 48, 40)
_LOW = (42, 46, 44, 52, 60)


def variation_svg(icon: str | None, size: int = 48) -> str:
    """Ring, five dots (the last three coloured and stepping up or down) and H or L."""
    if icon is None:
        return _empty_svg(size)
    colour = _VARIATION_COLOUR[_known(icon, VARIATION_ICONS)]
    high = icon.endswith("_high")
    heights = _FLAT if icon == "common_cause" else (_HIGH if high else _LOW)
    fills = [COMMON if i < 2 or icon == "common_cause" else colour for i in range(len(heights))]
    dots = "".join(
        f'<circle cx="{24 + 13 * i}" cy="{y}" r="5.5" fill="{fill}" stroke="{EDGE[fill]}" stroke-width="1.5"/>'
        for i, (y, fill) in enumerate(zip(heights, fills))
    )
    letter = "" if icon == "common_cause" else _letter("H" if high else "L", EDGE[colour],
                                                       y=30 if high else 87, size=26)
    return _svg(size, _VARIATION_TEXT[icon], _ring(colour) + dots + letter)


def assurance_svg(icon: str | None, size: int = 48) -> str:
    """Ring with P (pass), F (fail) or ? (hit and miss) in the MDC colours."""
    if icon is None:
        return _empty_svg(size)
    colour, letter, text = _ASSURANCE[_known(icon, ASSURANCE_ICONS)]
    ink = INK if icon == "inconsistent" else EDGE[colour]
    return _svg(size, text, _ring(colour) + _letter(letter, ink, y=67, size=50))


def variation_text(icon: str | None) -> str:
    return _NO_ICON_TEXT["variation"] if icon is None else _VARIATION_TEXT[icon]


def assurance_text(icon: str | None) -> str:
    return _NO_ICON_TEXT["assurance"] if icon is None else _ASSURANCE[icon][2]


def data_uri(svg: str) -> str:
    """A data: URI for st.column_config.ImageColumn or a markdown image."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def icon_png(svg: str, size: int = 96) -> bytes | None:
    """PNG bytes of an icon ``size`` pixels square, or None without vl-convert."""
    try:
        import vl_convert
    except ImportError:
        return None
    return vl_convert.svg_to_png(svg, scale=size / _width(svg))


def _known(icon: str, vocabulary: tuple[str, ...]) -> str:
    if icon not in vocabulary:
        raise ValueError(f"unknown icon {icon!r}: expected one of {', '.join(vocabulary)}")
    return icon


def _ring(colour: str) -> str:
    """The MDC-coloured ring between two thin edges of its darker shade."""
    edge = EDGE[colour]
    return (f'<circle cx="50" cy="50" r="45" fill="#FFFFFF" stroke="{colour}" stroke-width="7"/>'
            f'<circle cx="50" cy="50" r="48.5" fill="none" stroke="{edge}" stroke-width="2"/>'
            f'<circle cx="50" cy="50" r="41.5" fill="none" stroke="{edge}" stroke-width="2"/>')


def _letter(letter: str, colour: str, *, y: int, size: int) -> str:
    return (f'<text x="50" y="{y}" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" '
            f'font-weight="bold" font-size="{size}" fill="{colour}">{letter}</text>')


def _svg(size: int, title: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
            f'viewBox="0 0 100 100" role="img" aria-label="{title}"><title>{title}</title>'
            f"{body}</svg>")


def _empty_svg(size: int) -> str:
    return _svg(size, "No icon", "")


def _width(svg: str) -> float:
    return float(svg.split('width="', 1)[1].split('"', 1)[0])
