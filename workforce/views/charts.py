"""Altair charts other than the SPC chart: the organisation heatmap, funnel plots, breakdown bars.

Colours follow Making Data Count (blue good, orange bad, grey neither) and the NHS palette.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..base.config import Kpi
from ..signals.spc.icons import CONCERN, EDGE, IMPROVEMENT, NEUTRAL

NHS_BLUE, NHS_DARK_BLUE, NHS_GREY, NHS_DARK_GREY = "#005EB8", "#003087", "#768692", "#425563"
MDC_BLUE, MDC_ORANGE, MDC_GREY = IMPROVEMENT, CONCERN, "#A6A6A6"
PERFORMANCE_COLOURS = alt.Scale(domain=["meets target", "misses target", "no target"],
                                range=[MDC_BLUE, MDC_ORANGE, "#E8EDEE"])
# never colour alone (WCAG 1.4.1): a mark beside each figure says what its cell's colour says
TARGET_MARKS = {"meets target": "✓", "misses target": "✗"}
INK = "#000000"  # figures on MDC blue 8.5:1, on MDC orange 6.5:1, on pale grey 17.8:1


# the signal's letter in its colour's darker shade (5.3:1 or more on the white disc)
GLYPHS = {"improvement_high": ("H", EDGE[IMPROVEMENT]), "improvement_low": ("L", EDGE[IMPROVEMENT]),
          "concern_high": ("H", EDGE[CONCERN]), "concern_low": ("L", EDGE[CONCERN]),
          "neutral_high": ("H", NEUTRAL), "neutral_low": ("L", NEUTRAL)}
ORG_LABEL_CHARS = 36  # organisation names wrap onto a second line rather than being cut


def heatmap(frame: pd.DataFrame, kpi_order: list[str], org_order: list[str]) -> alt.LayerChart:
    """Organisations × KPIs: each cell's value with ✓ (meets its target) or ✗ (misses it), coloured by
    performance against target, with the SPC signal as a visible glyph (H or L in a white disc, blue for
    improvement, orange for concern), so it reads on a projector, in print and without colour.
    frame has short_label (column), organisation (row), value_text, performance, variation, assurance and
    variation_icon. The chart fills its container's width (st.altair_chart width="stretch")."""
    import textwrap

    # a long name on two lines; each label centred on its row (a two-line one lifted by half a line)
    wrap = {o: "\n".join(textwrap.wrap(o, ORG_LABEL_CHARS)) for o in org_order}
    glyphs = frame.get("variation_icon", pd.Series(index=frame.index, dtype=object)).map(GLYPHS)
    frame = frame.assign(org_label=frame["organisation"].map(wrap),
                         glyph=[g[0] if isinstance(g, tuple) else "" for g in glyphs],
                         glyph_colour=[g[1] if isinstance(g, tuple) else "" for g in glyphs])
    frame = frame[["short_label", "org_label", "performance", "organisation", "label", "value_text", "variation",
                   "assurance", "glyph", "glyph_colour"]]  # the chart's data go to the browser: what it draws only
    base = alt.Chart(frame).encode(
        x=alt.X("short_label:N", sort=kpi_order, title=None,
                axis=alt.Axis(labelAngle=0, labelOverlap=False, labelExpr="split(datum.label, ' ')", orient="top",
                              labelFontSize=11, labelFontWeight="bold", labelColor="#212B32", labelLimit=0)),
        y=alt.Y("org_label:N", sort=[wrap[o] for o in org_order], title=None,
                axis=alt.Axis(labelLimit=0, labelFontSize=12, labelColor="#212B32", labelLineHeight=14,
                              labelOffset=alt.condition("indexof(datum.label, '\\n') >= 0", alt.value(-7), alt.value(0)),
                              labelOverlap=False,
                              labelExpr="split(datum.label, '\\n')")))
    marks = " + ".join(f"(datum.label == '{k}' ? ' {v}' : '')" for k, v in TARGET_MARKS.items())
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("performance:N", scale=PERFORMANCE_COLOURS, title="Against target",
                        legend=alt.Legend(orient="bottom", labelExpr=f"datum.label + {marks}")),
        tooltip=[alt.Tooltip("organisation:N", title="Organisation"), alt.Tooltip("label:N", title="KPI"),
                 alt.Tooltip("value_text:N", title="Value"), alt.Tooltip("performance:N", title="Against target"),
                 alt.Tooltip("variation:N", title="Variation"), alt.Tooltip("assurance:N", title="Assurance")])
    marked = " + ".join(f"(datum.performance == '{k}' ? ' {v}' : '')" for k, v in TARGET_MARKS.items())
    text = base.transform_calculate(shown=f"datum.value_text + {marked}").mark_text(
        fontSize=11, fontWeight="bold", dx=-8, color=INK).encode(text="shown:N")
    signalled = base.transform_filter(alt.datum.glyph != "")
    discs = signalled.mark_circle(size=230, opacity=1, xOffset=25, color="white", stroke="#425563",
                                  strokeWidth=0.5)
    letters = signalled.mark_text(fontSize=12, fontWeight="bold", xOffset=25).encode(
        text="glyph:N", color=alt.Color("glyph_colour:N", scale=None))
    return (cells + text + discs + letters).properties(height=alt.Step(38), width="container")


FUNNEL_BANDS = {  # where an organisation sits: its marker's shape, fill and edge (never colour alone)
    "within the limits": ("circle", NHS_BLUE, NHS_DARK_BLUE),
    "outside the 95% limits": ("diamond", "#FFFFFF", NHS_DARK_BLUE),
    "outside the 99.8% limits": ("triangle-up", MDC_ORANGE, EDGE[CONCERN]),
}


def log_ticks(low: float, high: float) -> list[float]:
    """Tick values for a log axis from low to high at 1, 1.5, 2, 3, 5 and 7 of each power of ten: evenly
    spread on the page, round numbers, and never a decade's label dropped for crowding."""
    import math

    powers = range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
    return [m * 10 ** p for p in powers for m in (1, 1.5, 2, 3, 5, 7) if low <= m * 10 ** p <= high]


def funnel_chart(points: pd.DataFrame, curves: pd.DataFrame, kpi: Kpi, value_title: str,
                 denominator_title: str) -> alt.LayerChart:
    """Each organisation's rate against its denominator, with 95% and 99.8% limits. The x axis spans the
    funnel drawn (no empty decade), and organisations outside the 95% limits are named beside their marker."""
    lines = curves.melt(id_vars="denominator", var_name="line", value_name="rate")
    names = {"centre": "rate of the group", "lower_95": "95% limits", "upper_95": "95% limits",
             "lower_998": "99.8% limits", "upper_998": "99.8% limits"}
    lines["limit"] = lines["line"].map(names)
    span = [float(curves["denominator"].min()), float(curves["denominator"].max())]
    x = alt.X("denominator:Q", scale=alt.Scale(type="log", domain=span, nice=False), title=denominator_title,
              axis=alt.Axis(values=log_ticks(*span), labelOverlap="greedy", labelSeparation=8))
    kinds = list(dict.fromkeys(names.values()))
    key = alt.Legend(orient="top", symbolType="stroke", symbolSize=400, labelLimit=0)
    limit_lines = alt.Chart(lines).mark_line().encode(
        x=x,
        y=alt.Y("rate:Q", title=value_title, scale=alt.Scale(zero=False)),
        detail="line:N",
        # one legend for both channels, so its keys show each line's dashes as well as its grey
        color=alt.Color("limit:N", scale=alt.Scale(domain=kinds, range=["#212B32", NHS_GREY, NHS_DARK_GREY]),
                        title=None, legend=key),
        strokeDash=alt.StrokeDash("limit:N", scale=alt.Scale(domain=kinds, range=[[1, 0], [6, 3], [2, 2]]),
                                  title=None, legend=key))
    points = points[["organisation", "denominator", "value", "position"]]  # what is drawn, nothing else
    bands = list(FUNNEL_BANDS)

    def by_band(channel, index):
        return channel("band:N", title=None, scale=alt.Scale(domain=bands, range=[FUNNEL_BANDS[b][index] for b in bands]),
                       legend=alt.Legend(orient="bottom", labelLimit=0))

    marked = alt.Chart(points).transform_calculate(
        band="indexof(datum.position, '99.8') >= 0 ? 'outside the 99.8% limits' : "
             "datum.position == 'within limits' ? 'within the limits' : 'outside the 95% limits'",
        name="replace(replace(datum.organisation, / NHS( Foundation)? Trust$/, ''), / \\(aggregate\\)$/, '')",
    ).encode(x="denominator:Q", y="value:Q")
    dots = marked.mark_point(size=120, opacity=1, filled=True, strokeWidth=1.5).encode(
        shape=by_band(alt.Shape, 0), color=by_band(alt.Color, 1), stroke=by_band(alt.Stroke, 2),
        tooltip=[alt.Tooltip("organisation:N", title="Organisation"),
                 alt.Tooltip("value:Q", title=value_title, format=".2f"),
                 alt.Tooltip("denominator:Q", title=denominator_title, format=",.0f"),
                 alt.Tooltip("position:N", title="Position")])
    # names only where they matter (outside the 95% limits), so they never pile up in the funnel's mouth;
    # every organisation is in the table under the chart
    labels = marked.transform_filter("datum.position != 'within limits'").mark_text(
        align="left", dx=9, fontSize=12, fontWeight="bold", color="#212B32").encode(text="name:N")
    return (limit_lines + dots + labels).resolve_scale(color="independent", shape="independent",
                                                       stroke="independent", strokeDash="independent").properties(height=380, width="container")


def breakdown_bars(frame: pd.DataFrame, value_title: str, target: float | None = None,
                   reference: float | None = None) -> alt.LayerChart:
    """Horizontal bars for a breakdown (organisations, staff groups, equality groups)."""
    shown = frame[~frame.get("suppressed", pd.Series(False, index=frame.index)).astype(bool)]
    shown = shown[["label", "value", "value_text"]]  # the chart's data go to the browser: nothing else
    bars = alt.Chart(shown).mark_bar(color=NHS_BLUE).encode(
        y=alt.Y("label:N", sort=None, title=None,  # every bar named, in full
                axis=alt.Axis(labelLimit=0, labelOverlap=False, labelFontSize=12, labelColor="#212B32")),
        x=alt.X("value:Q", title=value_title),
        tooltip=[alt.Tooltip("label:N", title="Group"), alt.Tooltip("value_text:N", title=value_title)])
    layers = [bars]
    for value, colour, name in ((target, "#DE1B1B", "Target"), (reference, "#212B32", "Selection")):
        if value is not None:
            layers.append(alt.Chart(pd.DataFrame({"x": [value], "name": [name]})).mark_rule(
                color=colour, strokeDash=[6, 3], size=2).encode(x="x:Q", tooltip=["name:N", "x:Q"]))
    return alt.layer(*layers).properties(height=max(120, 30 * len(shown)), width="container")


def wrap_titles(chart: alt.TopLevelMixin, chars: int) -> alt.TopLevelMixin:
    """A copy of the chart with its title and subtitle broken into lines of at most `chars` characters, so
    a long title wraps instead of being cut with '…' (the meeting view's narrower chart)."""
    import copy

    if chart.title is alt.Undefined:
        return chart
    chart = copy.deepcopy(chart)
    chart.title = wrapped_title(chart.title, chars)
    return chart


def wrapped_title(title: str | alt.TitleParams, chars: int) -> alt.TitleParams:
    """The title (changed in place when already TitleParams) with text and subtitle in lines of at most
    `chars` characters and no length limit."""
    import textwrap

    params = title if isinstance(title, alt.TitleParams) else alt.TitleParams(text=title)
    for field in ("text", "subtitle"):
        value = getattr(params, field, alt.Undefined)
        if isinstance(value, str) and len(value) > chars:
            setattr(params, field, textwrap.wrap(value, chars))
    params.limit = 0
    return params
