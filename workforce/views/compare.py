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
from ..measures.figure import chosen_types, latest_value, performance
from ..protect.figures import organisation_series
from ..protect.scope import Scope
from .summary import summarise

FUNNEL_UNITS = {"people", "FTE days", "FTE"}


def organisation_kpis(db: Database, config: Config, scope: Scope) -> pd.DataFrame:
    """One row per organisation the user may see one by one × KPI at the view's month: value, target,
    performance, SPC icons — each the organisation's own figure as its own view shows it to this user
    (workforce.protect.figures.organisation_series)."""
    month = scope.month
    if month is None:
        return pd.DataFrame()
    series = organisation_series(db, config, config.kpis, scope, end=month)
    rows = []
    for (kpi_id, org), history in series.groupby(["kpi", "grp"], sort=False):
        kpi = config.kpi_by_id[kpi_id]
        history = history[history["period"] <= month].sort_values("period")
        if history.empty:
            continue
        last = history.iloc[-1]
        target = kpi.target_at(last["period"], [org])
        # the same rule as the summary: SPC on the KPI's SPC series, assurance withheld after a shift
        row = summarise(config, kpi, latest_value(kpi, history.reset_index(drop=True), [org], None), [org],
                        outlook=False)
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
            "variation": row.variation_words,
            "assurance": row.assurance_words})
    return pd.DataFrame(rows)


OWN_MARK = "● "  # before the names of the plan's own ICS's organisations in a comparison


def narrowed(table: pd.DataFrame, config: Config, search: str = "", groups: list[str] = ()) -> pd.DataFrame:
    """The comparison's rows for the organisations whose name or code holds `search` (any case) and,
    when given, whose benchmark group (else cluster group, else type) is one of `groups`."""
    words = search.strip().lower()
    keep = [(not words or words in f"{org.name} {org.code}".lower()) and (not groups or peer_group(org) in groups)
            for org in (config.org_by_code[c] for c in table["org_code"])]
    return table[keep]


def peer_group(org) -> str:
    """What a comparison groups an organisation by: the publications' benchmark group, else cluster
    group, else its type."""
    return org.benchmark_group or org.cluster_group or org.type


def own_first(codes: list[str], config: Config, own: set[str]) -> dict[str, str]:
    """Each organisation's row name in a comparison (code → name), in row order: the plan's own ICS's
    first, marked, then the rest by name."""
    order = sorted(set(codes), key=lambda c: (c not in own, config.org_by_code[c].name))
    return {c: OWN_MARK + config.org_by_code[c].name if c in own else config.org_by_code[c].name for c in order}


def funnel_applies(config: Config, kpi: Kpi) -> bool:
    """Funnel limits assume counts: rates of people, FTE or days, not money or scores."""
    return (kpi.scale == 100 and kpi.denominator is not None
            and config.measure_by_id[kpi.denominator.measures[0]].unit in FUNNEL_UNITS)


def funnel_kpis(config: Config, table: pd.DataFrame) -> list[Kpi]:
    """The KPIs a funnel can be drawn for from the comparison table: rates of counts for which at least
    three organisations have a figure for the same period (a 12-month rate needs a year of data: one
    month of a publication gives none)."""
    return [k for k in config.kpis if funnel_applies(config, k)
            and len(funnel_points(table[table["kpi"] == k.id])[0]) >= MIN_FUNNEL_ORGS]


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


ALL_TYPES = "all types"
MIN_FUNNEL_ORGS = 3
GROUPINGS = {"type": "organisation type", "all": ALL_TYPES}


@dataclass
class FunnelGroup:
    """One like-for-like group (an organisation type, or all types) and its own funnel."""
    name: str
    funnel: Funnel


@dataclass
class FunnelComparison:
    kpi: Kpi
    month: dt.date | None                 # the reporting month asked for (or the latest)
    groups: list[FunnelGroup] = field(default_factory=list)  # none: no organisation has a figure
    left_out: list[str] = field(default_factory=list)  # in the selection, but late for the period
    grouping: str = "type"                # "type": each organisation against its own type; "all"

    @property
    def funnel(self) -> Funnel | None:
        """The one funnel when every organisation is in one group (all types, or a single type)."""
        return self.groups[0].funnel if len(self.groups) == 1 else None

    @property
    def points(self) -> pd.DataFrame:
        """Every organisation of the selection, each with its own group's limits and the group named."""
        if not self.groups:
            return pd.DataFrame()
        return pd.concat([g.funnel.points.assign(group=g.name) for g in self.groups], ignore_index=True) \
            .sort_values("org_code").reset_index(drop=True)

    @property
    def period(self) -> dt.date | None:
        return None if not self.groups else self.groups[0].funnel.points["period"].iloc[0]

    @property
    def drawable(self) -> dict[str, Funnel]:
        """The groups with enough organisations for a funnel (three), by name."""
        return {g.name: g.funnel for g in self.groups if len(g.funnel.points) >= MIN_FUNNEL_ORGS}

    @property
    def too_small(self) -> list[str]:
        return [g.name for g in self.groups if len(g.funnel.points) < MIN_FUNNEL_ORGS]


def funnel_comparison(db: Database, config: Config, kpi: Kpi, scope: Scope, grouping: str = "type") -> FunnelComparison:
    """The funnel for one KPI over the organisations of a view (its ICS or England, its organisation
    type), as `python -m workforce compare` prints it: one row per organisation, so for a user limited
    to some organisations only their own, each as its own view shows it to them."""
    if not funnel_applies(config, kpi):
        raise ValueError(f"--kpi: {kpi.id} is not a percentage of people, FTE or days, so it has no funnel plot")
    selection, month, orgs = scope.selection, scope.month, scope.own(scope.orgs)
    if month is None or not orgs:
        return FunnelComparison(kpi, month, grouping=grouping)
    frame = organisation_series(db, config, [kpi], scope, end=month)
    frame = frame[frame["period"] <= month].rename(columns={"grp": "org_code"})
    frame = frame.dropna(subset=["value"])  # the months before a KPI's first headline figure
    frame.insert(1, "organisation", frame["org_code"].map(lambda c: config.org_by_code[c].name))
    return funnel_from_table(frame, config, kpi, chosen_types(selection), grouping, month)


def funnel_from_table(table: pd.DataFrame, config: Config, kpi: Kpi, all_types: bool, grouping: str = "type",
                      month: dt.date | None = None) -> FunnelComparison:
    """The funnels from one KPI's rows by organisation (the Compare page's table or the CLI's). Unless
    the user chose organisations or a type (`all_types`), only the organisation types the KPI
    covers are compared. By default like with like: each organisation type has its own centre,
    overdispersion and limits (ambulance trusts' sickness is structurally higher than acute
    trusts'); grouping "all" puts every type in one funnel."""
    if grouping not in GROUPINGS:
        raise ValueError(f"grouping {grouping!r}: use one of {', '.join(GROUPINGS)}")
    types = table["org_code"].map(lambda c: config.org_by_code[c].type)
    if not all_types:
        table, types = table[types.isin(kpi.covered_types)], types[types.isin(kpi.covered_types)]
    points, left_out = funnel_points(table)
    if points.empty:
        return FunnelComparison(kpi, month, [], left_out, grouping)
    names = points["org_code"].map(lambda c: config.org_by_code[c].type) if grouping == "type" \
        else pd.Series(ALL_TYPES, index=points.index)
    groups = [FunnelGroup(name, funnel(part.reset_index(drop=True), kpi))
              for name, part in points.groupby(names, sort=True)]
    return FunnelComparison(kpi, month, groups, left_out, grouping)


def funnel_outliers_text(points: pd.DataFrame, kpi: Kpi, widened: bool = False) -> str:
    """Plain English naming the organisations outside the 99.8% limits (of their own group); `widened`:
    limits allowing for real differences between organisations, so 'within' no longer means 'only chance'."""
    outside = points[points["position"].str.contains("99.8")]
    if outside.empty:
        return "Every organisation is within the 99.8% limits: " + (
            "none stands out from the usual spread between organisations." if widened
            else "differences are consistent with chance.")
    better_high = kpi.improvement_direction == "increase"
    parts = []
    for _, row in outside.iterrows():
        high = row["position"].startswith("above")
        verdict = "" if kpi.improvement_direction == "neutral" else \
            (" (better than expected)" if high == better_high else " (worse than expected)")
        parts.append(f"{row['organisation']} at {format_value(row['value'], kpi.format)}{verdict}")
    return "Outside the 99.8% limits: " + "; ".join(parts) + "."


POSITION_WORDS = {"within limits": "within the limits", "above 95% limit": "above the 95% limit",
                  "below 95% limit": "below the 95% limit", "above 99.8% limit": "above the 99.8% limit",
                  "below 99.8% limit": "below the 99.8% limit"}


def funnel_table(points: pd.DataFrame, kpi: Kpi, denominator_title: str) -> pd.DataFrame:
    """Every organisation in the funnel, in words: the chart's text alternative, sortable."""
    return pd.DataFrame({
        "Organisation": points["organisation"],
        kpi.label: [format_value(v, kpi.format) for v in points["value"]],
        denominator_title: points["denominator"].round(0).astype("int64"),
        "Position": [POSITION_WORDS.get(p, p) for p in points["position"]],
    }).sort_values("Organisation", ignore_index=True)


def comparison_words(table: pd.DataFrame) -> pd.DataFrame:
    """The heatmap's cells in words, one row per organisation and KPI: what its colours, marks and tooltips say."""
    return pd.DataFrame({
        "Organisation": table["organisation"], "KPI": table["label"], "Value": table["value_text"],
        "Against target": table["performance"], "Variation": table["variation"], "Assurance": table["assurance"],
    }).sort_values(["Organisation", "KPI"], ignore_index=True)
