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
from .icons import COMMON, CONCERN, EDGE, IMPROVEMENT, NEUTRAL, assurance_text

MEAN_COLOUR = "#000000"
LINE_GREY = "#7F7F7F"  # MDC's grey lines, darkened to 4.0:1 on white (WCAG 1.4.11 asks 3:1)
LIMIT_COLOUR = LINE_GREY
LINE_COLOUR = LINE_GREY
TARGET_COLOUR = "#DE1B1B"
EVENT_COLOUR = "#425563"
LIMIT_DASH = [6, 4]
TARGET_DASH = [8, 4]
EVENT_DASH = [2, 3]
CONTEXT_COLOUR = "#005EB8"  # NHS blue: a second series, not a limit
SOLID = [1, 0]
LINE_STYLES = {  # legend name: (colour, dash)
    "Mean": (MEAN_COLOUR, SOLID),
    "Process limits": (LIMIT_COLOUR, LIMIT_DASH),
    "Target": (TARGET_COLOUR, TARGET_DASH),
    "context": (CONTEXT_COLOUR, [4, 2]),
    "band": (CONTEXT_COLOUR, [1, 3]),
}
BAND_LABEL = "12-month figure's limits"

# money on an axis as boards write it (the headline's style): £0, £850, £12k, £1.2m
GBP_LABELS = ("abs(datum.value) >= 1e6 ? (datum.value < 0 ? '−' : '') + '£' + format(abs(datum.value) / 1e6, '.1f') + 'm'"
              " : abs(datum.value) >= 1e4 ? (datum.value < 0 ? '−' : '') + '£' + format(abs(datum.value) / 1e3, '.0f') + 'k'"
              " : abs(datum.value) >= 1e3 ? (datum.value < 0 ? '−' : '') + '£' + format(abs(datum.value) / 1e3, '.1f') + 'k'"
              " : (datum.value < 0 ? '−' : '') + '£' + format(abs(datum.value), '.0f')")

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
# never colour alone (WCAG 1.4.1): each kind of point has its own shape, and an edge of 3:1 or more
POINT_SHAPES = {
    "Common cause": "circle",
    "Special cause: improvement": "square",
    "Special cause: concern": "triangle-up",
    "Special cause: neither": "diamond",
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
    context: pd.DataFrame | None = None,
    context_label: str = "Rolling 12 months",
    context_band: tuple[float, float] | None = None,
    description: str = "",
) -> alt.LayerChart:
    """An XmR chart in MDC colours; a run chart (no limits) when limits aren't shown or
    the data are annual. ``target`` is a number or a trajectory frame (date, target);
    by default the result's own target. ``context`` (date, value) is an extra line drawn
    for context (e.g. the rolling 12 months behind a monthly flow KPI), named ``context_label``.
    Mean, limits, target and context each have a legend entry; the points have their own legend.
    ``description`` (the plain-English reading) is the chart's text alternative (its SVG's aria-label)."""
    run_chart = annual or not result.limits_shown
    dates = _date_style(result, annual)
    points = _points_frame(result, value_format, run_chart, dates)
    axis = {"format": dates.axis}
    if annual:  # one tick per year, at the points themselves (not at 1 January between them)
        axis["values"] = [_vl_date(p.date) for p in result.points]
    elif result.monthly:  # ticks on whole months: Vega's own choice for a few months is every 4 weeks,
        months = len(result.points)  # which labels one month twice and skips another
        axis["tickCount"] = {"interval": "month", "step": 1 if months <= 12 else 3 if months <= 40 else 6}
    x = alt.X("date:T", title=None, axis=alt.Axis(**axis))
    y_axis = (alt.Axis(labelExpr=GBP_LABELS) if axis_format == "gbp"
              else alt.Axis(format=axis_format) if axis_format else alt.Axis())
    target = result.target if target is None else target
    first_last = (result.points[0].date, result.points[-1].date) if result.points else None
    references = [*_centre_and_limits(result, x, run_chart, value_format), *_target_layers(target, x, value_format, first_last),
                  *_context_layers(context, x, value_format, context_label, context_band)]
    layers = [
        alt.Chart(points).mark_line(color=LINE_COLOUR, strokeWidth=1.5).encode(
            x=x, y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False), axis=y_axis)),
        *_with_line_legend(references),
        *_event_layers(events, x),
        _point_layer(points, x, y_title, result.improvement_direction, run_chart, dates.title),
    ]
    subtitle = _run_chart_reason(result, annual) if run_chart else ""
    # one constructor, not .resolve_scale().properties(): each of those copies every layer again
    return alt.LayerChart(
        layer=layers, resolve=alt.Resolve(scale=alt.ScaleResolveMap(
            color="independent", strokeDash="independent", shape="independent", stroke="independent")),
        title=alt.TitleParams(title, subtitle=subtitle or alt.Undefined, anchor="start"),
        width=width, height=height, description=description or title)


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
        col = cols.get(item.get("assurance_icon"), _NO_TARGET)
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
    (None, "No variation icon: annual figure, too few points or no figures"),
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
    ("withheld", "Assurance withheld: process shifted"),  # workforce.views.summary: limits the process has left
    ("no_limits", "No icon: annual figure, too few points or no figures"),
    ("no_target", "No target"),
)
_NO_TARGET = "No target"  # an item without an assurance icon or reason


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


def _vl_date(day: dt.date) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day)


def _reference_line(frame: pd.DataFrame, x, name: str, **mark) -> alt.Chart:
    """One named reference line (mean, limits, target, context): its legend entry comes from
    the shared line scale (see _with_line_legend); segments break at ``group`` and ``part``."""
    return alt.Chart(frame.assign(line=name)).mark_line(**mark).encode(
        x=x, y=alt.Y("level:Q"),
        color=alt.Color("line:N"), strokeDash=alt.StrokeDash("line:N"),
        detail=[alt.Detail("group:N"), alt.Detail("part:N")],
        tooltip=[alt.Tooltip("line:N", title="Line"), alt.Tooltip("level_text:N", title="Value")])


def _centre_and_limits(result: SpcResult, x, run_chart: bool, value_format) -> list[alt.Chart]:
    """Mean (solid black) and process limits (dashed grey), one segment per period."""
    rows = []
    for p in result.points:
        rows.append((p.date, p.group, "Mean", "mean", p.mean))
        if not run_chart:
            rows += [(p.date, p.group, "Process limits", "upper", p.upl),
                     (p.date, p.group, "Process limits", "lower", p.lpl)]
    frame = pd.DataFrame(rows, columns=["date", "group", "name", "part", "level"]).dropna()
    frame["date"] = pd.to_datetime(frame["date"])
    frame["level_text"] = [value_format(v) for v in frame["level"]]
    mean = _reference_line(frame[frame["name"] == "Mean"], x, "Mean", strokeWidth=1.2)
    if run_chart:
        return [mean]
    return [mean, _reference_line(frame[frame["name"] != "Mean"], x, "Process limits", strokeWidth=1.2)]


def _target_layers(target, x, value_format, first_last) -> list[alt.Chart]:
    """A constant target as a dashed red line across the chart, or a trajectory as dashed red steps."""
    if target is None or first_last is None:
        return []
    if isinstance(target, pd.DataFrame):
        steps = pd.DataFrame({"date": pd.to_datetime(target["date"]), "level": target["target"].astype(float)})
        return [_reference_line(steps.assign(group=0, part="target",
                                             level_text=[value_format(v) for v in steps["level"]]),
                                x, "Target", interpolate="step-after", strokeWidth=1.5)]
    frame = pd.DataFrame({"date": pd.to_datetime(list(first_last)), "level": [float(target)] * 2,
                          "group": 0, "part": "target", "level_text": value_format(target)})
    return [_reference_line(frame, x, "Target", strokeWidth=1.5)]


def _context_layers(context, x, value_format, label: str, band=None) -> list[alt.Chart]:
    """A context series (date, value), e.g. the rolling 12 months behind a monthly figure, and the
    limits its target is judged on (`band`: lower, upper; dotted blue), where it has them."""
    if context is None or len(context) == 0:
        return []
    frame = pd.DataFrame({"date": pd.to_datetime(context["date"]), "level": context["value"].astype(float),
                          "group": 0, "part": "context"}).dropna()
    frame["level_text"] = [value_format(v) for v in frame["level"]]
    layers = [_reference_line(frame, x, label, strokeWidth=1.5)]
    if band is not None and not frame.empty:
        ends = [frame["date"].min(), frame["date"].max()]
        limits = pd.DataFrame({"date": ends * 2, "level": [band[0]] * 2 + [band[1]] * 2, "group": 0,
                               "part": ["lower"] * 2 + ["upper"] * 2})
        limits["level_text"] = [value_format(v) for v in limits["level"]]
        layers.append(_reference_line(limits, x, BAND_LABEL, strokeWidth=1.5))
    return layers


def _with_line_legend(references: list[alt.Chart]) -> list[alt.Chart]:
    """The reference lines as one layer with one legend: each line's colour and dash in words. A line
    with nothing to draw (a context series whose every month is withheld) has no entry."""
    references = [r for r in references if len(r.data)]
    if not references:
        return []
    names = [r.data["line"].iloc[0] for r in references]
    names = list(dict.fromkeys(names))
    style = lambda n: LINE_STYLES.get(n, LINE_STYLES["band" if n == BAND_LABEL else "context"])  # noqa: E731
    colours = [style(n)[0] for n in names]
    dashes = [style(n)[1] for n in names]
    # above the plot: the points' legend is below it, so each fits a narrow screen on one line
    legend = alt.Legend(title=None, orient="top", symbolType="stroke", symbolStrokeWidth=2, labelLimit=0)
    for r in references:
        r.encoding.color = alt.Color("line:N", scale=alt.Scale(domain=names, range=colours), legend=legend)
        r.encoding.strokeDash = alt.StrokeDash("line:N", scale=alt.Scale(domain=names, range=dashes), legend=legend)
    return [alt.layer(*references)]


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
    shown = None if run_chart else alt.Legend(orient="bottom", labelLimit=0)  # colour, shape, edge: one legend

    def by_kind(channel, values):
        return channel("point_label:N", title=None, scale=alt.Scale(domain=legend, range=values), legend=shown)

    return alt.Chart(points).mark_point(size=55, opacity=1, filled=True, strokeWidth=1.2).encode(
        x=x,
        y="value:Q",
        color=by_kind(alt.Color, [POINT_COLOURS[k] for k in legend]),
        shape=by_kind(alt.Shape, [POINT_SHAPES[k] for k in legend]),
        stroke=by_kind(alt.Stroke, [EDGE[POINT_COLOURS[k]] for k in legend]),
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
