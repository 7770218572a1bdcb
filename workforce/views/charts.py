"""Altair charts other than the SPC chart: the organisation heatmap, funnel plots, breakdown bars.

Colours follow Making Data Count (blue good, orange bad, grey neither) and the NHS palette.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..base.config import Kpi

NHS_BLUE, NHS_DARK_BLUE, NHS_GREY, NHS_DARK_GREY = "#005EB8", "#003087", "#768692", "#425563"
MDC_BLUE, MDC_ORANGE, MDC_GREY = "#00B0F0", "#E46C0A", "#A6A6A6"
PERFORMANCE_COLOURS = alt.Scale(domain=["meets target", "misses target", "no target"],
                                range=[MDC_BLUE, MDC_ORANGE, "#E8EDEE"])


GLYPHS = {"improvement_high": ("H", MDC_BLUE), "improvement_low": ("L", MDC_BLUE),
          "concern_high": ("H", MDC_ORANGE), "concern_low": ("L", MDC_ORANGE),
          "neither_high": ("H", "#7F7F7F"), "neither_low": ("L", "#7F7F7F")}
ORG_LABEL_CHARS = 36  # organisation names wrap onto a second line rather than being cut


def heatmap(frame: pd.DataFrame, kpi_order: list[str], org_order: list[str]) -> alt.LayerChart:
    """Organisations × KPIs: each cell's value, coloured by performance against target, with the SPC
    signal as a visible glyph (H or L in a white disc, MDC blue for improvement, orange for concern),
    so it reads on a projector and in print, not only on hover.
    frame has short_label (column), organisation (row), value_text, performance, variation, assurance and
    variation_icon. Fixed cell sizes keep every figure legible; a priority's KPIs fit a 1280-pixel screen."""
    import textwrap

    # two lines for every name (the second may be empty), each block centred on its row
    wrap = {o: "\n".join(lines if len(lines) > 1 else lines + [""])
            for o in org_order for lines in [textwrap.wrap(o, ORG_LABEL_CHARS)]}
    glyphs = frame.get("variation_icon", pd.Series(index=frame.index, dtype=object)).map(GLYPHS)
    frame = frame.assign(org_label=frame["organisation"].map(wrap),
                         glyph=[g[0] if isinstance(g, tuple) else "" for g in glyphs],
                         glyph_colour=[g[1] if isinstance(g, tuple) else "" for g in glyphs])
    base = alt.Chart(frame).encode(
        x=alt.X("short_label:N", sort=kpi_order, title=None,
                axis=alt.Axis(labelAngle=0, labelOverlap=False, labelExpr="split(datum.label, ' ')", orient="top",
                              labelFontSize=11, labelFontWeight="bold", labelColor="#212B32", labelLimit=0)),
        y=alt.Y("org_label:N", sort=[wrap[o] for o in org_order], title=None,
                axis=alt.Axis(labelLimit=0, labelFontSize=12, labelColor="#212B32", labelLineHeight=14, labelOffset=-7,
                              labelOverlap=False,
                              labelExpr="split(datum.label, '\\n')")))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("performance:N", scale=PERFORMANCE_COLOURS, title="Against target",
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("organisation:N", title="Organisation"), alt.Tooltip("label:N", title="KPI"),
                 alt.Tooltip("value_text:N", title="Value"), alt.Tooltip("performance:N", title="Against target"),
                 alt.Tooltip("variation:N", title="Variation"), alt.Tooltip("assurance:N", title="Assurance")])
    text = base.mark_text(fontSize=11, fontWeight="bold", dx=-8).encode(
        text="value_text:N",
        color=alt.condition(alt.datum.performance == "no target", alt.value("#212B32"), alt.value("white")))
    signalled = base.transform_filter(alt.datum.glyph != "")
    discs = signalled.mark_circle(size=230, opacity=1, xOffset=25, color="white", stroke="#425563",
                                  strokeWidth=0.5)
    letters = signalled.mark_text(fontSize=12, fontWeight="bold", xOffset=25).encode(
        text="glyph:N", color=alt.Color("glyph_colour:N", scale=None))
    return (cells + text + discs + letters).properties(height=alt.Step(38), width=alt.Step(74))


def funnel_chart(points: pd.DataFrame, curves: pd.DataFrame, kpi: Kpi, value_title: str,
                 denominator_title: str) -> alt.LayerChart:
    """Each organisation's rate against its denominator, with 95% and 99.8% limits."""
    lines = curves.melt(id_vars="denominator", var_name="line", value_name="rate")
    names = {"centre": "ICS rate", "lower_95": "95% limits", "upper_95": "95% limits",
             "lower_998": "99.8% limits", "upper_998": "99.8% limits"}
    lines["limit"] = lines["line"].map(names)
    limit_lines = alt.Chart(lines).mark_line().encode(
        x=alt.X("denominator:Q", scale=alt.Scale(type="log"), title=denominator_title),
        y=alt.Y("rate:Q", title=value_title, scale=alt.Scale(zero=False)),
        detail="line:N",
        color=alt.Color("limit:N", scale=alt.Scale(domain=["ICS rate", "95% limits", "99.8% limits"],
                                                   range=["#212B32", NHS_GREY, NHS_DARK_GREY]), title=None),
        strokeDash=alt.StrokeDash("limit:N", scale=alt.Scale(domain=["ICS rate", "95% limits", "99.8% limits"],
                                                             range=[[1, 0], [6, 3], [2, 2]]), legend=None))
    flag = alt.condition("indexof(datum.position, '99.8') >= 0", alt.value(MDC_ORANGE), alt.value(NHS_BLUE))
    dots = alt.Chart(points).mark_circle(size=110, opacity=0.9).encode(
        x="denominator:Q", y="value:Q", color=flag,
        tooltip=[alt.Tooltip("organisation:N", title="Organisation"),
                 alt.Tooltip("value:Q", title=value_title, format=".2f"),
                 alt.Tooltip("denominator:Q", title=denominator_title, format=",.0f"),
                 alt.Tooltip("position:N", title="Position")])
    # labels only where they matter (outside the 95% limits), so they never pile up in the funnel's mouth;
    # every organisation is still named on hover and in the table
    labels = dots.transform_filter("datum.position != 'within limits'").mark_text(
        align="left", dx=8, fontSize=12, fontWeight="bold").encode(text="org_code:N", color=alt.value("#212B32"))
    return (limit_lines + dots + labels).properties(height=380, width="container")


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
    """The chart's title and subtitle broken into lines of at most `chars` characters, so a long
    title wraps instead of being cut with '…' (the meeting view's narrower chart)."""
    import copy
    import textwrap

    title = chart.title
    if title is alt.Undefined:
        return chart
    chart = copy.deepcopy(chart)
    params = chart.title if isinstance(chart.title, alt.TitleParams) else alt.TitleParams(text=chart.title)
    for field in ("text", "subtitle"):
        value = getattr(params, field, alt.Undefined)
        if isinstance(value, str) and len(value) > chars:
            setattr(params, field, textwrap.wrap(value, chars))
    params.limit = 0
    chart.title = params
    return chart
