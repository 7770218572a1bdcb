"""Altair charts for SPC results, and the KPI summary matrix of a performance report.

The same chart object serves the screen and the board pack (exported with
vl-convert). Values are formatted in Python so tooltips read as boards write them.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable, NamedTuple, Sequence

import altair as alt
import pandas as pd

from .engine import SpcResult
from .icons import COMMON, CONCERN, IMPROVEMENT, NEUTRAL, assurance_text

MEAN_COLOUR = "#000000"
LIMIT_COLOUR = COMMON
LINE_COLOUR = COMMON
TARGET_COLOUR = "#DE1B1B"
EVENT_COLOUR = "#425563"
LIMIT_DASH = [6, 4]
TARGET_DASH = [8, 4]
EVENT_DASH = [2, 3]

POINT_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: neither",
    "special_cause_neutral_low": "Special cause: neither",
}
POINT_COLOURS = {
    "Common cause": COMMON,
    "Special cause: improvement": IMPROVEMENT,
    "Special cause: concern": CONCERN,
    "Special cause: neither": NEUTRAL,
}


def spc_chart(
    result: SpcResult,
    *,
    title: str,
    value_format: Callable[[float], str],
    y_title: str,
    target: float | pd.DataFrame | None = None,
    events: Iterable[tuple[dt.date, str]] = (),
    annual: bool = False,
    width: int | str = 600,
    height: int = 300,
    axis_format: str | None = None,
) -> alt.LayerChart:
    """An XmR chart in MDC colours; a run chart (no limits) when limits aren't shown or
    the data are annual. ``target`` is a number or a trajectory frame (date, target);
    by default the result's own target."""
    run_chart = annual or not result.limits_shown
    dates = _date_style(result, annual)
    points = _points_frame(result, value_format, run_chart, dates)
    x = alt.X("date:T", title=None, axis=alt.Axis(format=dates.axis))
    y_axis = alt.Axis(format=axis_format) if axis_format else alt.Axis()
    layers = [
        alt.Chart(points).mark_line(color=LINE_COLOUR, strokeWidth=1.5).encode(
            x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False), axis=y_axis)),
        *_centre_and_limits(result, x, run_chart),
        *_target_layers(result.target if target is None else target, x, value_format),
        *_event_layers(events, x),
        _point_layer(points, x, y_title, result.improvement_direction, run_chart, dates.title),
    ]
    subtitle = _run_chart_reason(result, annual) if run_chart else ""
    return alt.layer(*layers).properties(
        title=alt.TitleParams(title, subtitle=subtitle or alt.Undefined, anchor="start"),
        width=width, height=height,
    )


def summary_matrix(items: Sequence[dict]) -> pd.DataFrame:
    """KPIs placed in a grid of variation (rows) by assurance (columns), as in an NHS
    Integrated Performance Report. Each item: kpi id, label, variation_icon, assurance_icon.
    Cells hold the KPI labels, comma-separated; the grid always has every row and column."""
    rows = {key: variation for key, variation in _MATRIX_ROWS}
    cols = {key: assurance for key, assurance in _MATRIX_COLUMNS}
    grid = pd.DataFrame("", index=list(rows.values()), columns=list(cols.values()))
    for item in items:
        icon = item.get("variation_icon")
        row = rows[None if icon is None else _ROW_OF[icon]]
        col = cols[item.get("assurance_icon")]
        cell = grid.at[row, col]
        grid.at[row, col] = f"{cell}, {item['label']}" if cell else item["label"]
    grid.index.name = "Variation"
    grid.columns.name = "Assurance"
    return grid


# Matrix rows and columns, worst first as boards read them.
_MATRIX_ROWS = (
    ("concern", "Special cause concern"),
    ("common_cause", "Common cause"),
    ("improvement", "Special cause improvement"),
    ("neutral", "Special cause (neither)"),
    (None, "Too few points for SPC"),
)
_ROW_OF = {
    "concern_high": "concern", "concern_low": "concern", "common_cause": "common_cause",
    "improvement_high": "improvement", "improvement_low": "improvement",
    "neutral_high": "neutral", "neutral_low": "neutral",
}
_MATRIX_COLUMNS = (
    ("consistent_fail", assurance_text("consistent_fail")),
    ("inconsistent", assurance_text("inconsistent")),
    ("consistent_pass", assurance_text("consistent_pass")),
    (None, "No target"),
)


class DateStyle(NamedTuple):
    axis: str  # d3 time format for the axis
    text: Callable[[dt.date], str]  # for tooltips
    title: str


def _date_style(result: SpcResult, annual: bool) -> DateStyle:
    if annual:
        return DateStyle("%Y", lambda d: str(d.year), "Year")
    if result.monthly:
        return DateStyle("%b %Y", lambda d: f"{d:%b %Y}", "Month")
    return DateStyle("%d %b %Y", lambda d: f"{d.day} {d:%b %Y}", "Date")


def _points_frame(result: SpcResult, value_format, run_chart: bool,
                  dates: DateStyle) -> pd.DataFrame:
    points = result.points
    kinds = ["common_cause" if run_chart else p.point_type for p in points]
    return pd.DataFrame({
        "date": pd.to_datetime([p.date for p in points]),
        "value": [p.value for p in points],
        "group": [p.group for p in points],
        "when": [dates.text(p.date) for p in points],
        "value_text": ["missing" if p.value is None else value_format(p.value) for p in points],
        "point_label": [POINT_LABELS[k] for k in kinds],
        "why": ["" if run_chart else "; ".join(p.rules) for p in points],
    })


def _centre_and_limits(result: SpcResult, x, run_chart: bool) -> list[alt.Chart]:
    """Mean (solid black) and process limits (dashed grey), one segment per period."""
    lines = []
    for p in result.points:
        lines.append((p.date, p.group, "Mean", p.mean))
        if not run_chart:
            lines += [(p.date, p.group, "Upper process limit", p.upl),
                      (p.date, p.group, "Lower process limit", p.lpl)]
    frame = pd.DataFrame(lines, columns=["date", "group", "line", "level"]).dropna()
    frame["date"] = pd.to_datetime(frame["date"])
    base = alt.Chart(frame).encode(
        x=x, y=alt.Y("level:Q"), detail=[alt.Detail("group:N"), alt.Detail("line:N")],
        tooltip=[alt.Tooltip("line:N", title="Line"), alt.Tooltip("level:Q", format=",.4~f")],
    )
    mean = base.transform_filter(alt.datum.line == "Mean").mark_line(
        color=MEAN_COLOUR, strokeWidth=1.2)
    if run_chart:
        return [mean]
    limits = base.transform_filter(alt.datum.line != "Mean").mark_line(
        color=LIMIT_COLOUR, strokeDash=LIMIT_DASH, strokeWidth=1.2)
    return [mean, limits]


def _target_layers(target, x, value_format) -> list[alt.Chart]:
    """A constant target as a dashed red rule, or a trajectory as dashed red steps."""
    if target is None:
        return []
    style = {"color": TARGET_COLOUR, "strokeDash": TARGET_DASH, "strokeWidth": 1.5}
    if isinstance(target, pd.DataFrame):
        steps = target.assign(date=pd.to_datetime(target["date"]),
                              target_text=[value_format(v) for v in target["target"]])
        return [alt.Chart(steps).mark_line(interpolate="step-after", **style).encode(
            x=x, y="target:Q",
            tooltip=[alt.Tooltip("target_text:N", title="Target")])]
    frame = pd.DataFrame({"target": [float(target)], "target_text": [value_format(target)]})
    return [alt.Chart(frame).mark_rule(**style).encode(
        y="target:Q", tooltip=[alt.Tooltip("target_text:N", title="Target")])]


def _event_layers(events, x) -> list[alt.Chart]:
    """A dotted vertical rule at each event, labelled at the top of the plot."""
    events = list(events)
    if not events:
        return []
    frame = pd.DataFrame({"date": pd.to_datetime([d for d, _ in events]),
                          "event": [label for _, label in events]})
    base = alt.Chart(frame).encode(x=x, tooltip=[alt.Tooltip("event:N", title="Event")])
    rules = base.mark_rule(color=EVENT_COLOUR, strokeDash=EVENT_DASH)
    labels = base.mark_text(align="left", baseline="top", dx=3, fontSize=11,
                            color=EVENT_COLOUR).encode(y=alt.value(2), text="event:N")
    return [rules, labels]


def _point_layer(points: pd.DataFrame, x, y_title: str, direction: str,
                 run_chart: bool, date_title: str) -> alt.Chart:
    """Points coloured by type, with a legend in words (none on a run chart: all grey)."""
    kinds = (("common_cause",) if run_chart else
             ("common_cause", "special_cause_neutral_high") if direction == "neutral" else
             ("common_cause", "special_cause_improvement", "special_cause_concern"))
    legend = [POINT_LABELS[k] for k in kinds]
    return alt.Chart(points).mark_circle(size=55, opacity=1).encode(
        x=x,
        y="value:Q",
        color=alt.Color("point_label:N", title=None,
                        scale=alt.Scale(domain=legend, range=[POINT_COLOURS[k] for k in legend]),
                        legend=None if run_chart else alt.Legend(orient="bottom")),
        tooltip=[
            alt.Tooltip("when:N", title=date_title),
            alt.Tooltip("value_text:N", title=y_title),
            alt.Tooltip("point_label:N", title="Variation"),
            alt.Tooltip("why:N", title="Why"),
        ],
    )


def _run_chart_reason(result: SpcResult, annual: bool) -> str:
    if annual:
        return "Annual figures: shown as a run chart, without process limits."
    return result.warnings[0] if result.warnings else "Shown as a run chart, without limits."
