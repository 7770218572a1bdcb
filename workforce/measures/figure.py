"""A KPI's figure as it is read: its latest value with target, difference and coverage (`KpiValue`),
whether it meets its target, how far behind the data's as-at month it is. Nothing here computes a
figure from the data (workforce.measures.kpi does; workforce.protect decides what may be shown), so
views may use it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field

import pandas as pd

from ..base.config import Kpi
from ..base.db import Database
from ..base.formatting import as_displayed, format_difference, format_value
from .selection import Selection

UNITS = {"percent1": "%", "percent2": "%", "gbp": "£", "count": "count", "score2": "score (0–10)", "number1": "number"}


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
    spc_basis: str = "monthly"
    orgs_reporting: int | None = None   # organisations added into the figure (None: one organisation's own)
    orgs_expected: int | None = None    # organisations that report this KPI, so should be in it

    @property
    def complete(self) -> bool:
        return self.orgs_expected is None or (self.orgs_reporting or 0) >= self.orgs_expected

    @property
    def coverage_text(self) -> str:
        """'' when complete, else '10 of 11 organisations reported'."""
        if self.complete:
            return ""
        return f"{self.orgs_reporting} of {self.orgs_expected} organisations reported"

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
        record["complete"] = self.complete
        return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in record.items()}


def performance(kpi: Kpi, value: float | None, target: float | None) -> str:
    """'meets target', 'misses target' or 'no target' (MDC blue/orange, not red/amber/green),
    judged on the value and target as displayed (9.46% shown as 9.5% meets a 9.5% target)."""
    if value is None or target is None or kpi.improvement_direction == "neutral" or math.isnan(value):
        return "no target"
    value, target = as_displayed(value, kpi.format), as_displayed(target, kpi.format)
    meets = value <= target if kpi.improvement_direction == "decrease" else value >= target
    return "meets target" if meets else "misses target"


def month_end(month: dt.date) -> dt.date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


def days_behind(period: dt.date | None, as_at: dt.date | None) -> int | None:
    """Days from the end of a KPI's latest month to the end of the view's as-at month."""
    if period is None or as_at is None:
        return None
    return (month_end(as_at) - month_end(period)).days


def is_stale(kpi: Kpi, period: dt.date | None, as_at: dt.date | None) -> bool:
    """True when the KPI's latest month lags the as-at month (the month the view reports: the one chosen,
    or the database's latest complete month) by more than stale_after_days, which allows for the
    publication's usual lag. Never judged against today: a database is as current as its data."""
    if period is None:
        return True
    return (days_behind(period, as_at) or 0) > kpi.stale_after_days


def data_as_at(db: Database) -> dt.date | None:
    """The database's as-at month: the latest month holding any figure (None when empty)."""
    latest = db.query("measures/as_at_month")["period"].iloc[0]
    return None if pd.isna(latest) else pd.Timestamp(latest).date()


def chosen_types(selection: Selection) -> bool:
    """The user chose organisations or a type: add up exactly those, whatever the KPI covers."""
    return bool(selection.orgs or selection.org_type)


def _count(last: pd.Series | None, column: str) -> int | None:
    if last is None or column not in last.index or pd.isna(last[column]):
        return None
    return int(last[column])


def latest_value(kpi: Kpi, series: pd.DataFrame, orgs: list[str] | None, as_at: dt.date | None) -> KpiValue:
    last = series.iloc[-1] if not series.empty else None
    period = last["period"] if last is not None else None
    # None until the KPI's first headline figure (its monthly SPC series may start a year earlier)
    value = float(last["value"]) if last is not None and not pd.isna(last["value"]) else None
    target = kpi.target_at(period, orgs) if period else None
    return KpiValue(
        kpi=kpi.id, label=kpi.label, priority=kpi.priority, period=period, value=value, target=target,
        difference=(value - target) if value is not None and target is not None else None,
        numerator=float(last["numerator"]) if value is not None else None,
        denominator=float(last["denominator"]) if value is not None and not pd.isna(last["denominator"]) else None,
        unit=UNITS[kpi.format], format=kpi.format, improvement_direction=kpi.improvement_direction,
        window=kpi.window, stale=is_stale(kpi, period, as_at),
        history=series[[c for c in ("period", "value", "spc_value") if c in series.columns]].reset_index(drop=True),
        spc_basis=kpi.spc_basis, orgs_reporting=_count(last, "orgs_reporting"),
        orgs_expected=_count(last, "orgs_expected"))
