"""The KPI detail view: its series, definition, breakdowns and year-end forecast.

Every breakdown is the same ratio of sums as the headline, grouped by organisation, staff
group or equality group in SQL (queries/measures/kpi_components.sql with $group_by).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..protect import disclosure
from ..protect.breakdowns import BME, ORGANISATION, STAFF_GROUP, breakdown  # noqa: F401  BME: the row's label
from ..base.config import Component, Config, Kpi
from ..base.db import Database
from ..signals.forecast import year_end_forecast
from ..base.formatting import axis_title, financial_year, first_capital, format_value
from ..measures.figure import latest_value
from ..protect.figures import series as protected_series
from ..protect.figures import withheld_text
from ..protect.scope import Scope, resolve
from ..measures.selection import Selection
from ..signals.spc.chart import spc_chart
from .summary import summarise

WINDOW_WORDS = {"month": "in the month", "rolling_12m": "over the 12 months to the reporting month",
                "fytd": "over the financial year to date (April to the reporting month)",
                "annual": "in the latest annual survey or cycle"}
AGGREGATION_WORDS = {"sum": "summed", "end": "at the end of the period", "start": "at the start of the period",
                     "mean_start_end": "averaged over the start and end of the period"}


def series(db: Database, config: Config, kpi: Kpi, scope: Scope) -> pd.DataFrame:
    """period, numerator, denominator, value for the scope, up to the reporting month, each month
    over the organisations counted then (as it may be shown: workforce.protect.figures.series)."""
    frame = protected_series(db, config, [kpi], scope)
    return frame.drop(columns=["kpi", "grp"]).reset_index(drop=True)


def _in_sentence(label: str) -> str:
    """'Leavers from …' → 'leavers from …', but 'FTE days lost' stays as it is."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _component_words(config: Config, part: Component) -> str:
    names = " plus ".join(_in_sentence(config.measure_by_id[m].label) for m in part.measures)
    return f"{names} ({AGGREGATION_WORDS[part.aggregation]})"


def formula_in_words(config: Config, kpi: Kpi) -> str:
    top = _component_words(config, kpi.numerator)
    scale = " × 100" if kpi.scale == 100 else ""
    if not kpi.denominator:
        return f"{top[0].upper()}{top[1:]}, {WINDOW_WORDS[kpi.window]}."
    return (f"{top[0].upper()}{top[1:]} ÷ {_component_words(config, kpi.denominator)}{scale}, "
            f"{WINDOW_WORDS[kpi.window]}.")


@dataclass
class Definition:
    formula: str
    numerator_label: str
    numerator_value: str
    denominator_label: str | None
    denominator_value: str | None
    source: str
    caveats: str
    scope: str = ""   # which organisation types a figure for several organisations adds up


def scope_in_words(kpi: Kpi) -> str:
    """Which organisations an ICS or England figure adds up (config org_types)."""
    from ..base.config import ORG_TYPES

    if set(kpi.covered_types) == set(ORG_TYPES):
        return "Every organisation in the selection that reports it."
    listed = lambda types: ", ".join(types[:-1]) + " and " + types[-1] if len(types) > 1 else types[0]  # noqa: E731
    left_out = [t for t in ORG_TYPES if t not in kpi.covered_types]
    return (f"{first_capital(listed(list(kpi.covered_types)))} trusts only; {listed(left_out)} figures are not "
            "added in: they appear as their own rows under By organisation.")


def definition(config: Config, kpi: Kpi, latest: pd.Series | None) -> Definition:
    def label(part: Component | None) -> str | None:
        return None if part is None else " + ".join(config.measure_by_id[m].label for m in part.measures)

    def number(value: float | None, part: Component | None) -> str | None:
        if part is None:
            return None
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        money = config.measure_by_id[part.measures[0]].unit == "GBP"
        return format_value(value, "gbp" if money else "number1" if value % 1 else "count")

    return Definition(
        formula=formula_in_words(config, kpi),
        numerator_label=label(kpi.numerator),
        numerator_value=number(None if latest is None else latest["numerator"], kpi.numerator),
        denominator_label=label(kpi.denominator),
        denominator_value=number(None if latest is None else latest["denominator"], kpi.denominator),
        source=kpi.source, caveats=kpi.caveats, scope=scope_in_words(kpi))


# ---------------------------------------------------------------- forecast
@dataclass
class Forecast:
    year_end: dt.date
    projected: float
    low: float
    high: float
    target: float | None
    verdict: str
    method_text: str = ""


def forecast(kpi: Kpi, history: pd.DataFrame, as_at: dt.date | None = None) -> Forecast | None:
    """The year-end forecast (workforce.signals.forecast; method and backtest in docs/methods.md) from the
    history up to `as_at`, with its verdict against the year-end target. None when too little
    history is held to know how wrong the method tends to be, and for annual KPIs."""
    result = year_end_forecast(kpi, history, as_at)
    if result is None:
        return None
    target = kpi.target_at(result.period)
    return Forecast(result.period, result.value, result.lower, result.upper, target,
                    _verdict(kpi, result.value, result.lower, result.upper, target, result.period),
                    result.method_text)


def _verdict(kpi: Kpi, projected: float, low: float, high: float, target: float | None, year_end: dt.date) -> str:
    fy = financial_year(year_end)
    shown = lambda v: format_value(v, kpi.format)  # noqa: E731
    span = f"{shown(projected)} (95% range {shown(low)} to {shown(high)})"
    if target is None or kpi.improvement_direction == "neutral":
        return f"The forecast for the end of {fy} is about {span}."
    better = (lambda v: v <= target) if kpi.improvement_direction == "decrease" else (lambda v: v >= target)
    if better(low) and better(high):
        outlook = "on course to meet"
    elif not better(low) and not better(high):
        outlook = "not on course to meet"
    else:
        outlook = "uncertain to meet"
    return (f"On the forecast the KPI is {outlook} its {shown(target)} target at the end of {fy}: "
            f"about {span}.")


# ---------------------------------------------------------------- the whole view
_DRAWING = threading.RLock()  # a chart shared by sessions is drawn by one of them (a restyled one draws its own)


@dataclass
class KpiView:
    kpi: Kpi
    month: dt.date | None
    orgs: list[str]
    series: pd.DataFrame
    spc: object | None          # SpcResult
    reading: str
    definition: Definition
    forecast: Forecast | None
    assurance_note: str = ""            # why the assurance icon is withheld or differs from the figure
    shift_start: dt.date | None = None  # an unregistered sustained shift: the change point to offer
    coverage_text: str = ""             # '10 of 11 organisations reported' when incomplete
    scope: Scope | None = None          # what the view covers and who may see it (workforce.protect.scope)
    withheld_text: str = ""             # why there is no figure when disclosure control withheld it
    summary: object | None = None       # the KPI's summary row (icons' words, on_course)
    chart_maker: Callable[[], object] | None = field(default=None, repr=False)  # draws `chart` when first asked
    _chart: object | None = field(default=None, init=False, repr=False)

    @property
    def chart(self) -> object | None:
        """The SPC chart (Altair), drawn the first time it is asked for: building a chart's
        specification costs more than the figures behind it, and a meeting's opening screen or a
        summary never shows it. A view shared between sessions draws it once."""
        if self.chart_maker is not None:
            with _DRAWING:
                if self.chart_maker is not None:
                    self._chart, self.chart_maker = self.chart_maker(), None
        return self._chart

    @property
    def has_chart(self) -> bool:
        """Whether there is a chart to draw (without drawing it)."""
        return self.chart_maker is not None or self._chart is not None

    def restyled(self, style: Callable[[object], object]) -> "KpiView":
        """This view, its chart passed through ``style`` when drawn (the view itself unchanged)."""
        draw = (lambda: style(self.chart)) if self.has_chart else None
        return replace(self, chart_maker=draw)

    @property
    def spc_basis(self) -> str:
        return self.kpi.spc_basis

    @property
    def latest(self) -> pd.Series | None:
        return None if self.series.empty else self.series.iloc[-1]


def trajectory_frame(kpi: Kpi, periods: list[dt.date], orgs: list[str] | None) -> pd.DataFrame | float | None:
    """A fixed target as a number, a dated trajectory as steps over the chart's months."""
    if kpi.target is None and not kpi.org_targets:
        return None
    if kpi.target is not None and kpi.target.value is not None and not (orgs and len(orgs) == 1
                                                                           and orgs[0] in kpi.org_targets):
        return kpi.target.value
    steps = pd.DataFrame({"date": periods, "target": [kpi.target_at(p, orgs) for p in periods]})
    return steps.dropna()


def _band_of(summary) -> tuple[float, float] | None:
    """The limits of the 12-month (or financial-year) figure its target is judged on, drawn beside it."""
    band = summary.signals.band if summary is not None and summary.signals is not None else None
    return (max(band.lower, 0.0), band.upper) if band is not None and band.months > 1 else None


def _chart_title(kpi: Kpi, summary) -> str:
    """The chart names the series SPC runs on (config spc_series), so nobody reads limits on a
    monthly value as limits on the 12-month headline; seasonal and carry-over limits say so — only
    where the chart draws them (a run chart of too few points, or seasons not yet estimated, has none)."""
    signals = summary.signals if summary is not None else None
    drawn = signals is not None and signals.result.limits_shown
    return _series_title(kpi) + (
        " — seasonal limits (they move with the month)" if drawn and signals.seasonal else "") + (
        " — limits around last month's figure (vacancies carry over)" if drawn and kpi.carries_over else "")


def _series_title(kpi: Kpi) -> str:
    if kpi.spc_basis == "monthly" and kpi.window in ("rolling_12m", "fytd"):
        each = "each month's figure, annualised" if kpi.annualised else "each month's figure"
        return f"{kpi.label} — SPC on {each}; line: {CONTEXT_LABELS[kpi.window].lower()}"
    if kpi.spc_basis == "annual" and kpi.window != "annual":
        return f"{kpi.label} — SPC on one point a year (12-month periods that do not overlap)"
    return kpi.label + {"rolling_12m": " (each point: the 12 months to that month)",
                        "annual": " (annual)"}.get(kpi.window, "")


CONTEXT_LABELS = {"rolling_12m": "Rolling 12 months (headline)", "fytd": "Year to date (headline)"}


def _context_line(kpi: Kpi, data: pd.DataFrame, result) -> pd.DataFrame | None:
    """The headline figure (12 months or year to date) over the chart's months, for context."""
    if result is None or kpi.spc_basis == "annual" or kpi.window not in CONTEXT_LABELS or len(result) == 0:
        return None
    shown = data[data["period"] >= result.dates[0]]
    return pd.DataFrame({"date": shown["period"], "value": shown["value"]})


def kpi_view(db: Database, config: Config, kpi: Kpi, selection: Selection, *, allowed: list[str] | None = None,
             events: list[tuple[dt.date, str]] = (), rebase_dates: tuple = ()) -> KpiView:
    scope = selection if isinstance(selection, Scope) else resolve(db, config, selection, allowed)
    selection, month, orgs = scope.selection, scope.month, scope.orgs
    data = series(db, config, kpi, scope) if month and not scope.refusal else pd.DataFrame()
    chosen = list(selection.orgs) or None
    latest = latest_value(kpi, data, chosen, None) if not data.empty else None
    summary = summarise(config, kpi, latest, chosen, rebase_dates) if latest is not None else None
    result = summary.spc if summary else None
    draw = None
    text = summary.reading if summary else f"No {kpi.label.lower()} figures for this selection."
    if result is not None and len(result):
        first, last = result.dates[0], data["period"].iloc[-1]
        last_day = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1) - dt.timedelta(days=1)
        events = [(day, label) for day, label in events if first <= day <= last_day]  # none outside the chart

        def draw():
            return spc_chart(result, title=_chart_title(kpi, summary), value_format=lambda v: format_value(v, kpi.format),
                             y_title=axis_title(kpi.label, kpi.format),
                             axis_format="gbp" if kpi.format == "gbp" else ",.0f" if kpi.format == "count" else None,
                             target=trajectory_frame(kpi, list(result.dates), chosen), events=events,
                             annual=kpi.spc_basis == "annual", width="container", height=340,
                             context=_context_line(kpi, data, result),
                             context_label=CONTEXT_LABELS.get(kpi.window, "Headline"),
                             context_band=_band_of(summary),
                             description=f"Statistical process control chart of {kpi.label.lower()}. {text}")
    return KpiView(kpi, month, orgs, data, result, text,
                   definition(config, kpi, None if data.empty else data.iloc[-1]),
                   forecast(kpi, data) if not data.empty else None,
                   assurance_note=summary.assurance_note if summary else "",
                   shift_start=summary.shift_start if summary else None,
                   coverage_text=latest.coverage_text if latest is not None else "", scope=scope,
                   withheld_text=withheld_text(db, config, kpi, scope) if data.empty else "", summary=summary,
                   chart_maker=draw)


def breakdowns(db: Database, config: Config, kpi: Kpi, view: KpiView) -> dict[str, pd.DataFrame]:
    """Every breakdown of the KPI at the view's month (workforce.protect.breakdowns: as the user may
    see it), with labels and display text. The organisation breakdown lists only the user's own."""
    if view.month is None or view.latest is None or view.scope is None:
        return {}
    scope, ics_value = view.scope, float(view.latest["value"])
    out = {name: breakdown(db, config, kpi, scope, view.month, name)
           for name in (ORGANISATION, STAFF_GROUP, *[b.id for b in config.breakdowns])}
    out[ORGANISATION] = _organisation_rows(out[ORGANISATION], config, kpi, ics_value)
    for frame in out.values():
        if frame.empty:
            continue
        if "label" not in frame.columns:
            frame["label"] = frame["group"]
        frame["value_text"] = [disclosure.HIDDEN if h else format_value(v, kpi.format)
                               for v, h in zip(frame["value"], frame["suppressed"])]
    return out


def _organisation_rows(frame: pd.DataFrame, config: Config, kpi: Kpi, ics_value: float | None) -> pd.DataFrame:
    """Each organisation's figure, ranked from best to worst, against target and the whole selection."""
    if frame.empty:
        return frame
    frame = frame.assign(label=frame["group"].map(lambda c: config.org_by_code[c].name),
                         type=frame["group"].map(lambda c: config.org_by_code[c].type))
    # Organisations of types the KPI does not add up (e.g. GP and social care aggregates for NHS
    # Digital's methods) are shown as their own rows, marked as outside the ICS figure.
    frame["in_total"] = frame["type"].isin(kpi.covered_types)
    frame["target"] = [kpi.target_at(p, [c]) for p, c in zip(frame["period"], frame["group"])]
    frame["vs_ics"] = frame["value"] - ics_value if ics_value is not None else np.nan
    ascending = kpi.improvement_direction == "decrease"
    return frame.sort_values("value", ascending=ascending).reset_index(drop=True)


def breakdown_display(frame: pd.DataFrame, kpi: Kpi, config: Config, name: str) -> pd.DataFrame:
    """The breakdown table as text, in the order and words of the screen."""
    table = frame
    hidden = table.get("suppressed", pd.Series(False, index=table.index))

    def count(value, is_hidden):
        return disclosure.HIDDEN if is_hidden else ("–" if pd.isna(value) else f"{value:,.0f}")

    out = pd.DataFrame({name.replace("_", " ").capitalize(): table["label"]})
    out[" + ".join(config.measure_by_id[m].label for m in kpi.numerator.measures)] = \
        [count(v, h) for v, h in zip(table["numerator"], hidden)]
    if kpi.denominator:
        out[" + ".join(config.measure_by_id[m].label for m in kpi.denominator.measures)] = \
            [count(v, h) for v, h in zip(table["denominator"], hidden)]
    out[kpi.label] = table["value_text"]
    if "target" in table.columns:
        out["Target"] = [format_value(t, kpi.format) for t in table["target"]]
    if "in_total" in table.columns and not table["in_total"].all():  # e.g. GP and social care aggregates
        out["In the ICS figure"] = ["Yes" if t else "No (reported separately)" for t in table["in_total"]]
    if "relative_likelihood" in table.columns:
        reference = next((b.reference for b in config.breakdowns if b.id == name), "reference group")
        out[f"Relative likelihood vs {reference} (95% CI)"] = [
            disclosure.HIDDEN if h else _likelihood_cell(r, low, high)
            for r, low, high, h in zip(table["relative_likelihood"], table.get("rl_lower95", table["value"] * np.nan),
                                       table.get("rl_upper95", table["value"] * np.nan), hidden)]
    if hidden.any():
        out["Hidden because"] = table["suppression_reason"]
    return out


def _likelihood_cell(ratio: float, low: float, high: float) -> str:
    """'1.90 (1.52–2.37)'; '1.00' for the reference group itself."""
    if pd.isna(ratio):
        return "–"
    return f"{ratio:.2f}" if pd.isna(low) else f"{ratio:.2f} ({low:.2f}–{high:.2f})"


def likelihood_sentences(frame: pd.DataFrame, kpi: Kpi, config: Config) -> list[str]:
    """The relative-likelihood sentences that may be shown (none for hidden groups)."""
    if "rl_text" not in frame.columns:
        return []
    return [t for t, hidden in zip(frame["rl_text"], frame["suppressed"]) if t and not hidden]


def export_tables(kpi: Kpi, view: KpiView, parts: dict[str, pd.DataFrame], config: Config) -> dict[str, pd.DataFrame]:
    """The tables behind the view, with proper number types, for CSV and Excel downloads.
    Suppressed breakdown cells are blank, exactly as on screen."""
    series_table = view.series.assign(month=[p.strftime("%Y-%m") for p in view.series["period"]],
                                      kpi=kpi.label)[["kpi", "month", "numerator", "denominator", "value"]]
    if view.spc is not None:  # SPC columns on the months of the SPC series (config spc_series)
        spc = pd.DataFrame({"month": [d.strftime("%Y-%m") for d in view.spc.dates],
                            "spc_value": view.spc.values, "point_type": list(view.spc.point_type),
                            "mean": view.spc.mean, "upper_process_limit": view.spc.upl,
                            "lower_process_limit": view.spc.lpl})
        series_table = series_table.merge(spc, on="month", how="left")
        series_table["spc_basis"] = kpi.spc_basis
    start = (config.back_cast_from(view.scope.selection.ics)
             if view.scope is not None and view.scope.history else None)
    if start is not None:  # a new footprint's earlier months count its members at its start: said per row
        series_table["organisations_counted"] = [
            f"Today's member organisations (before {start:%b %Y})" if p < start else "Members in the month"
            for p in view.series["period"]]
    sheets = {"Series": series_table}
    for name, frame in parts.items():
        if frame.empty:
            continue
        keep = [c for c in ("label", "period", "numerator", "denominator", "value", "target", "vs_ics",
                            "relative_likelihood", "rl_lower95", "rl_upper95", "rl_text",
                            "suppression_reason") if c in frame.columns]
        table = frame[keep]
        sheets[f"By {name}"] = table.rename(columns={"label": name})
    return sheets
