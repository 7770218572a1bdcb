"""Altair charts other than the SPC chart: the organisation heatmap, funnel plots, breakdown bars.

Colours follow Making Data Count (blue good, orange bad, grey neither) and the NHS palette.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from .config import Kpi

NHS_BLUE, NHS_DARK_BLUE, NHS_GREY, NHS_DARK_GREY = "#005EB8", "#003087", "#768692", "#425563"
MDC_BLUE, MDC_ORANGE, MDC_GREY = "#00B0F0", "#E46C0A", "#A6A6A6"
PERFORMANCE_COLOURS = alt.Scale(domain=["meets target", "misses target", "no target"],
                                range=[MDC_BLUE, MDC_ORANGE, "#E8EDEE"])


def heatmap(frame: pd.DataFrame, kpi_order: list[str], org_order: list[str]) -> alt.Chart:
    """Organisations × KPIs: each cell's value, coloured by performance against target.
    frame has short_label (column), organisation (row), value_text, performance, variation, assurance.
    Fixed cell sizes keep every figure legible; a priority's KPIs fit a 1280-pixel screen."""
    base = alt.Chart(frame).encode(
        x=alt.X("short_label:N", sort=kpi_order, title=None,
                axis=alt.Axis(labelAngle=0, labelOverlap=False, labelExpr="split(datum.label, ' ')", orient="top",
                              labelFontSize=11, labelFontWeight="bold", labelColor="#212B32")),
        y=alt.Y("organisation:N", sort=org_order, title=None,
                axis=alt.Axis(labelLimit=230, labelFontSize=12, labelColor="#212B32")))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("performance:N", scale=PERFORMANCE_COLOURS, title="Against target",
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("organisation:N", title="Organisation"), alt.Tooltip("label:N", title="KPI"),
                 alt.Tooltip("value_text:N", title="Value"), alt.Tooltip("performance:N", title="Against target"),
                 alt.Tooltip("variation:N", title="Variation"), alt.Tooltip("assurance:N", title="Assurance")])
    text = base.mark_text(fontSize=11, fontWeight="bold").encode(
        text="value_text:N",
        color=alt.condition(alt.datum.performance == "no target", alt.value("#212B32"), alt.value("white")))
    return (cells + text).properties(height=alt.Step(30), width=alt.Step(68))


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
    labels = dots.mark_text(align="left", dx=8, fontSize=11).encode(text="org_code:N", color=alt.value("#212B32"))
    return (limit_lines + dots + labels).properties(height=380, width="container")


def breakdown_bars(frame: pd.DataFrame, value_title: str, target: float | None = None,
                   reference: float | None = None) -> alt.LayerChart:
    """Horizontal bars for a breakdown (organisations, staff groups, equality groups)."""
    shown = frame[~frame.get("suppressed", pd.Series(False, index=frame.index)).astype(bool)]
    shown = shown[["label", "value", "value_text"]]  # the chart's data go to the browser: nothing else
    bars = alt.Chart(shown).mark_bar(color=NHS_BLUE).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("value:Q", title=value_title),
        tooltip=[alt.Tooltip("label:N", title="Group"), alt.Tooltip("value_text:N", title=value_title)])
    layers = [bars]
    for value, colour, name in ((target, "#DE1B1B", "Target"), (reference, "#212B32", "Selection")):
        if value is not None:
            layers.append(alt.Chart(pd.DataFrame({"x": [value], "name": [name]})).mark_rule(
                color=colour, strokeDash=[6, 3], size=2).encode(x="x:Q", tooltip=["name:N", "x:Q"]))
    return alt.layer(*layers).properties(height=max(120, 28 * len(shown)), width="container")
