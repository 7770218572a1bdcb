"""Cells of a breakdown a figure must not give away: groups too few organisations feed, and the
staff groups each organisation's staff-group breakdown hides.

A staff-group filter shows one cell of the staff-group breakdown, so it hides exactly what the
breakdown hides in each month: a small count, a cell hidden so a small one cannot be worked out from
the total (secondary suppression), or — for a user limited to some organisations — a group to which
fewer than k organisations besides their own add something (Midwives in a total with two acute
trusts, one of them theirs, would be the other trust's figure).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from . import disclosure
from .scope import Scope
from ..base.config import Config, Kpi
from ..base.db import Database
from ..measures.kpi import SEPARATOR, kpi_frame



def thin_group_months(db: Database, config: Config, kpi: Kpi, scope: Scope, end: dt.date, *, group_by: str,
                      breakdown: str = "", staff_group: str | None = None,
                      start: dt.date | None = None) -> pd.DataFrame:
    """grp, period, orgs: how many organisations besides a scoped user's own feed each group of a
    breakdown (a non-zero numerator or denominator measure over the KPI's window ending that month),
    month by month."""
    first = start or dt.date(2000, 1, 1)
    rows = db.query("protect/group_contributors", {
        "orgs": [o for o in scope.orgs if o not in scope.allowed], "measures": kpi.measure_ids,
        "group_by": group_by, "breakdown": breakdown, "staff_groups": [staff_group] if staff_group else [],
        "all_staff_groups": config.all_staff_groups_label,
        "start": (pd.Timestamp(first) - pd.DateOffset(months=11)).date(), "end": end})
    if rows.empty:
        return pd.DataFrame(columns=["grp", "period", "orgs"])
    rows["period"] = pd.PeriodIndex(pd.to_datetime(rows["period"]), freq="M")
    fed = rows.assign(fed=1.0).pivot_table(index="period", columns=["grp", "org_code"], values="fed", fill_value=0)
    fed = fed.reindex(pd.period_range(fed.index.min(), pd.Period(end, "M"), freq="M"), fill_value=0)
    # months a figure covers; a year to date varies, so only its own month counts (never more contributors)
    window = {"month": 1, "fytd": 1}.get(kpi.window, 12)
    within = fed.rolling(window, min_periods=1).max()
    counts = within.T.groupby(level="grp").sum().T.stack().rename("orgs").reset_index()
    counts.columns = ["period", "grp", "orgs"]
    counts["period"] = [p.to_timestamp().date() for p in counts["period"]]
    return counts[counts["period"] >= first][["grp", "period", "orgs"]]


def thin_groups(db: Database, config: Config, kpi: Kpi, scope: Scope, month: dt.date, *, group_by: str,
                breakdown: str = "", staff_group: str | None = None, groups: list[str] = ()) -> dict[str, str]:
    """{group: reason} for a breakdown of a scoped user's total in a month: the groups (staff groups,
    equality groups) to which fewer than k organisations besides their own add something over the
    KPI's window."""
    if not scope.beyond_own:
        return {}
    counts = thin_group_months(db, config, kpi, scope, month, group_by=group_by, breakdown=breakdown,
                               staff_group=staff_group, start=month)
    feeding = dict(zip(counts["grp"], counts["orgs"]))
    k = config.access.min_other_organisations
    reason = f"fewer than {k} organisations besides yours add to it"
    return {group: reason for group in set(groups) | set(feeding) if 0 < feeding.get(group, 0) < k}


def hidden_by_each_organisations_breakdown(db: Database, config: Config, kpis: list[Kpi], orgs: list[str],
                                           staff_group: str, end: dt.date | None) -> set[tuple[str, str, dt.date]]:
    """{(kpi, organisation, month)} in which that organisation's own staff-group breakdown hides the
    chosen staff group: one query for every organisation's staff groups."""
    cells = kpi_frame(db, config, kpis, orgs, group_by="org_staff_group", end=end)
    if cells.empty:
        return set()
    split = cells["grp"].str.split(SEPARATOR, n=1, expand=True)
    cells = cells.assign(org=split[0], grp=split[1])
    cells = cells[cells["grp"] != config.all_staff_groups_label]
    out = set()
    for (kpi_id, org), part in cells.groupby(["kpi", "org"], sort=False):
        kpi = config.kpi_by_id[kpi_id]
        part = part.reset_index(drop=True)
        hidden = disclosure.hidden_cells(part, kpi, config.disclosure, disclosure.counts_people(config, kpi.numerator))
        out |= {(kpi_id, org, p) for p in part.loc[hidden & (part["grp"] == staff_group), "period"]}
    return out
