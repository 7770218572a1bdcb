"""Comparing organisations fairly: each KPI by organisation with its SPC state, and funnel plots.

A funnel plot judges each organisation's rate against the rate of all the organisations shown
with limits that widen as the denominator shrinks, so a small organisation is not flagged for
what is only noise, and widened for overdispersion (workforce/signals/funnel.py, docs/methods.md).
"""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass, field

import pandas as pd

from ..base.config import Config, Kpi
from ..base.db import Database
from ..base.formatting import format_value
from ..signals.funnel import Funnel
from ..signals.funnel import funnel as funnel_limits
from ..measures.kpi import chosen_types, kpi_frame, latest_value, performance
from ..protect.scope import resolve
from ..measures.selection import Selection
from ..signals.spc.icons import variation_text
from .summary import summarise

FUNNEL_UNITS = {"people", "FTE days", "FTE"}


def organisation_kpis(db: Database, config: Config, orgs: list[str], month: dt.date,
                      staff_group: str | None = None) -> pd.DataFrame:
    """One row per organisation × KPI at the month: value, target, performance, SPC icons."""
    series = kpi_frame(db, config, config.kpis, orgs, staff_group=staff_group, group_by="org", end=month)
    rows = []
    for (kpi_id, org), history in series.groupby(["kpi", "grp"], sort=False):
        kpi = config.kpi_by_id[kpi_id]
        history = history[history["period"] <= month].sort_values("period")
        if history.empty:
            continue
        last = history.iloc[-1]
        target = kpi.target_at(last["period"], [org])
        # the same rule as the summary: SPC on the KPI's SPC series, assurance withheld after a shift
        row = summarise(config, kpi, latest_value(kpi, history.reset_index(drop=True), [org], None), [org])
        result = row.spc
        rows.append({
            "org_code": org, "organisation": config.org_by_code[org].name, "type": config.org_by_code[org].type,
            "kpi": kpi_id, "label": kpi.label, "short_label": kpi.short_label or kpi.label,
            "period": last["period"], "value": float(last["value"]),
            "value_text": format_value(float(last["value"]), kpi.format), "target": target,
            "numerator": last["numerator"], "denominator": last["denominator"],
            "performance": performance(kpi, float(last["value"]), target),
            "variation_icon": result.variation_icon if result else None,
            "assurance_icon": result.assurance_icon if result else None,
            "variation": variation_text(result.variation_icon if result else None),
            "assurance": row.assurance_words})
    return pd.DataFrame(rows)


def funnel_applies(config: Config, kpi: Kpi) -> bool:
    """Funnel limits assume counts: rates of people, FTE or days, not money or scores."""
    return (kpi.scale == 100 and kpi.denominator is not None
            and config.measure_by_id[kpi.denominator.measures[0]].unit in FUNNEL_UNITS)


def funnel(points: pd.DataFrame, kpi: Kpi, centre: float | None = None) -> Funnel:
    """Each organisation flagged against 95% / 99.8% limits around the rate of them all (or a
    given `centre`, e.g. a national figure), with the limit curves and the overdispersion used.

    points: org_code, organisation, numerator, denominator, value (one KPI, one period)."""
    return funnel_limits(points, scale=kpi.scale, centre=centre)


def funnel_points(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """One KPI's figures by organisation, all for the same period: each organisation's latest at or
    before the month, then only those for the most recent period among them (a late organisation
    is left out, not compared on an older month). Returns the points and the codes left out."""
    table = table.dropna(subset=["numerator", "denominator"])
    table = table[table["denominator"] > 0]
    if table.empty:
        return table, []
    latest = table.sort_values("period").groupby("org_code").tail(1)
    period = latest["period"].max()
    points = latest[latest["period"] == period].sort_values("org_code").reset_index(drop=True)
    return points, sorted(set(latest["org_code"]) - set(points["org_code"]))


@dataclass
class FunnelComparison:
    kpi: Kpi
    month: dt.date | None                 # the reporting month asked for (or the latest)
    funnel: Funnel | None                 # None: no organisation has a figure
    left_out: list[str] = field(default_factory=list)  # in the selection, but late for the period

    @property
    def period(self) -> dt.date | None:
        return None if self.funnel is None else self.funnel.points["period"].iloc[0]


def funnel_comparison(db: Database, config: Config, kpi: Kpi, selection: Selection,
                      allowed: list[str] | None = None) -> FunnelComparison:
    """The funnel for one KPI over the organisations of a selection (its ICS or England, its
    organisation type), as `python -m workforce compare` prints it. The organisations come from
    the view's one Scope (workforce.protect.scope.resolve), with `allowed` a user's organisations: one row per
    organisation, so only their own."""
    if not funnel_applies(config, kpi):
        raise ValueError(f"--kpi: {kpi.id} is not a percentage of people, FTE or days, so it has no funnel plot")
    scope = resolve(db, config, selection, allowed)
    selection, month, orgs = scope.selection, scope.month, scope.own(scope.orgs)
    if month is None or not orgs:
        return FunnelComparison(kpi, month, None)
    frame = kpi_frame(db, config, [kpi], orgs, staff_group=selection.staff_group, group_by="org", end=month)
    frame = frame[frame["period"] <= month].rename(columns={"grp": "org_code"})
    frame.insert(1, "organisation", frame["org_code"].map(lambda c: config.org_by_code[c].name))
    result, left_out = funnel_from_table(frame, config, kpi, chosen_types(selection))
    return FunnelComparison(kpi, month, result, left_out)


def funnel_from_table(table: pd.DataFrame, config: Config, kpi: Kpi, all_types: bool) -> tuple[Funnel | None, list[str]]:
    """The funnel from one KPI's rows by organisation (the Compare page's table or the CLI's). Unless
    the user chose organisations or a type (`all_types`), only the organisation types the KPI
    covers are compared, so the centre is the selection's own headline figure."""
    if not all_types:
        types = table["org_code"].map(lambda c: config.org_by_code[c].type)
        table = table[types.isin(kpi.covered_types)]
    points, left_out = funnel_points(table)
    return (funnel(points, kpi) if not points.empty else None), left_out


def funnel_outliers_text(points: pd.DataFrame, kpi: Kpi) -> str:
    """Plain English naming the organisations outside the 99.8% limits."""
    outside = points[points["position"].str.contains("99.8")]
    if outside.empty:
        return "Every organisation is within the 99.8% limits: differences are consistent with chance."
    better_high = kpi.improvement_direction == "increase"
    parts = []
    for _, row in outside.iterrows():
        high = row["position"].startswith("above")
        verdict = "" if kpi.improvement_direction == "neutral" else \
            (" (better than expected)" if high == better_high else " (worse than expected)")
        parts.append(f"{row['organisation']} at {format_value(row['value'], kpi.format)}{verdict}")
    return "Outside the 99.8% limits: " + "; ".join(parts) + "."
