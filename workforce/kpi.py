"""KPIs as ratios of summed components, for any selection, month by month.

SQL (queries/kpi_components.sql) sums each additive component over the organisations,
staff groups and breakdown asked for and computes its 12-month windows; this module only
combines those sums as each KPI's config says (numerator ÷ denominator × scale). No rate is
ever averaged.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from .config import Component, Config, Kpi
from .db import Database
from .formatting import format_difference, format_value
from .selection import Selection, scope_orgs

EARLIEST = dt.date(2000, 1, 1)
UNITS = {"percent1": "%", "percent2": "%", "gbp": "£", "count": "count", "score2": "score (0–10)", "number1": "number"}


def components(db: Database, measures: list[str], orgs: list[str], *, staff_group: str | None = None,
               breakdown: str = "", group_by: str = "none", start: dt.date = EARLIEST,
               end: dt.date | None = None, all_staff_groups: str = "All staff groups") -> pd.DataFrame:
    """Summed components with their windows: grp, measure, period, month_value, sum_12m, months_12m, start_value.

    No staff group (or the whole-organisation label) means all staff groups: each organisation's
    whole-organisation figure where held, else the sum of its staff groups (never both)."""
    chosen = [staff_group] if staff_group and staff_group != all_staff_groups else []
    return db.query("kpi_components", {
        "orgs": list(orgs), "staff_groups": chosen, "all_staff_groups": all_staff_groups,
        "breakdown": breakdown, "measures": sorted(measures), "group_by": group_by,
        "start": start, "end": end or dt.date(2100, 1, 1)})


COMPONENT_COLUMNS = ["month_value", "sum_12m", "months_12m", "start_value"]


def wide_components(comp: pd.DataFrame) -> pd.DataFrame:
    """Components pivoted once: index (grp, period), columns (component column, measure)."""
    wide = comp.set_index(["grp", "period", "measure"])[COMPONENT_COLUMNS].unstack("measure")
    return wide.astype("float64")


def _measure_values(wide: pd.DataFrame, measure: str, aggregation: str, window: str) -> pd.Series:
    """One measure aggregated over the KPI's window, for every (grp, period)."""
    if ("month_value", measure) not in wide.columns:
        return pd.Series(np.nan, index=wide.index)
    if window == "rolling_12m" and aggregation == "sum":
        return wide[("sum_12m", measure)].where(wide[("months_12m", measure)] == 12)
    if window == "rolling_12m" and aggregation == "start":
        return wide[("start_value", measure)]
    if window == "rolling_12m" and aggregation == "mean_start_end":
        return (wide[("start_value", measure)] + wide[("month_value", measure)]) / 2
    return wide[("month_value", measure)]  # the month: a flow's sum, a stock at month end, an annual figure


def _component_values(wide: pd.DataFrame, part: Component, window: str) -> pd.Series:
    """A KPI's numerator or denominator: its measures added (missing if any measure is missing)."""
    values = [_measure_values(wide, m, part.aggregation, window) for m in part.measures]
    return sum(values[1:], values[0])


def kpi_series(wide: pd.DataFrame, kpi: Kpi) -> pd.DataFrame:
    """grp, period, numerator, denominator, value for one KPI (periods with a value only)."""
    numerator = _component_values(wide, kpi.numerator, kpi.window)
    if kpi.denominator:
        denominator = _component_values(wide, kpi.denominator, kpi.window)
        value = numerator / denominator.where(denominator > 0) * kpi.scale
    else:
        denominator = pd.Series(np.nan, index=wide.index)
        value = numerator * kpi.scale
    frame = pd.DataFrame({"numerator": numerator, "denominator": denominator, "value": value})
    frame = frame[frame["value"].notna()].reset_index()
    return frame[["grp", "period", "numerator", "denominator", "value"]]


def kpi_frame(db: Database, config: Config, kpis: list[Kpi], orgs: list[str], **options) -> pd.DataFrame:
    """Every KPI's monthly series for a selection: kpi, grp, period, numerator, denominator, value."""
    empty = pd.DataFrame(columns=["kpi", "grp", "period", "numerator", "denominator", "value"])
    if not orgs or not kpis:
        return empty
    measures = sorted({m for k in kpis for m in k.measure_ids})
    comp = components(db, measures, orgs, all_staff_groups=config.all_staff_groups_label, **options)
    if comp.empty:
        return empty
    comp["period"] = pd.to_datetime(comp["period"]).dt.date
    wide = wide_components(comp)
    frames = [kpi_series(wide, k).assign(kpi=k.id) for k in kpis]
    frame = pd.concat([f for f in frames if not f.empty] or [empty], ignore_index=True)[empty.columns]
    return frame.sort_values(["kpi", "grp", "period"], kind="stable").reset_index(drop=True)


@dataclass
class KpiValue:
    """A KPI's latest figure for a selection and month, with its target and recent history."""
    kpi: str
    label: str
    priority: str
    period: dt.date | None
    value: float | None
    target: float | None
    difference: float | None
    numerator: float | None
    denominator: float | None
    unit: str
    format: str
    improvement_direction: str
    window: str
    stale: bool
    history: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.format)

    @property
    def target_text(self) -> str:
        return format_value(self.target, self.format)

    @property
    def difference_text(self) -> str:
        return format_difference(self.difference, self.format)

    def as_record(self) -> dict:
        record = {k: v for k, v in asdict(self).items() if k != "history"}
        record["period"] = self.period.strftime("%Y-%m") if self.period else None
        return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in record.items()}


def performance(kpi: Kpi, value: float | None, target: float | None) -> str:
    """'meets target', 'misses target' or 'no target' (MDC blue/orange, not red/amber/green)."""
    if value is None or target is None or kpi.improvement_direction == "neutral" or math.isnan(value):
        return "no target"
    meets = value <= target if kpi.improvement_direction == "decrease" else value >= target
    return "meets target" if meets else "misses target"


def is_stale(kpi: Kpi, period: dt.date | None, today: dt.date | None = None) -> bool:
    """True when the KPI's latest month ended more than stale_after_days ago."""
    if period is None:
        return True
    month_end = (pd.Timestamp(period) + pd.offsets.MonthEnd(0)).date()
    return ((today or dt.date.today()) - month_end).days > kpi.stale_after_days


def reporting_month(db: Database, orgs: list[str], requested: dt.date | None) -> dt.date | None:
    """The month asked for, or the latest month with data for these organisations."""
    if requested:
        return requested
    latest = db.query("latest_period", {"orgs": list(orgs)})["period"].iloc[0]
    return None if pd.isna(latest) else pd.Timestamp(latest).date()


def resolve_scope(db: Database, config: Config, selection: Selection,
                  allowed: list[str] | None = None) -> tuple[dt.date | None, list[str]]:
    """The reporting month and the organisations of the selection as at that month."""
    provisional = scope_orgs(config, selection, selection.period or dt.date.today(), allowed)
    month = reporting_month(db, provisional, selection.period)
    return month, scope_orgs(config, selection, month or dt.date.today(), allowed)


def latest_values(db: Database, config: Config, selection: Selection,
                  allowed: list[str] | None = None, today: dt.date | None = None) -> tuple[dt.date | None, list[KpiValue]]:
    """The reporting month and every KPI's figure at (or, if late, before) it."""
    month, orgs = resolve_scope(db, config, selection, allowed)
    series = kpi_frame(db, config, config.kpis, orgs, staff_group=selection.staff_group, end=month)
    values = [latest_value(k, series[series["kpi"] == k.id], orgs if selection.orgs else None, today)
              for k in config.kpis]
    return month, values


def latest_value(kpi: Kpi, series: pd.DataFrame, orgs: list[str] | None, today: dt.date | None) -> KpiValue:
    last = series.iloc[-1] if not series.empty else None
    period = last["period"] if last is not None else None
    value = float(last["value"]) if last is not None else None
    target = kpi.target_at(period, orgs) if period else None
    return KpiValue(
        kpi=kpi.id, label=kpi.label, priority=kpi.priority, period=period, value=value, target=target,
        difference=(value - target) if value is not None and target is not None else None,
        numerator=float(last["numerator"]) if last is not None else None,
        denominator=float(last["denominator"]) if last is not None and not pd.isna(last["denominator"]) else None,
        unit=UNITS[kpi.format], format=kpi.format, improvement_direction=kpi.improvement_direction,
        window=kpi.window, stale=is_stale(kpi, period, today),
        history=series[["period", "value"]].reset_index(drop=True))
