"""Differencing on the organisations that actually contribute: which totals a user limited to some
organisations may be shown, KPI by KPI and month by month.

Every figure of a total (England, a region, an ICS) is a sum, over the organisations added into it,
of its components' values in the months its window reads: a 12-month flow its twelve months, a stock
at the window's start the month a year before, the monthly SPC value its own month (and the month
before, for a stock at its start). Any sum, difference or combination of the figures a user is shown
resolves no finer than the groups ("atoms") into which the sets reading one measure in one month cut
the organisations. So, for every measure and month, each group outside the user's own organisations
must hold no organisation that adds to that measure then, or at least k (access.min_other_organisations).
While one holds 1 to k−1, the smallest total holding it is refused (England, which holds every group,
last) for the figures that read that month, and the groups are worked out again: refusing only merges
groups, so a month once checked stays safe.

The sets are the organisations actually added into each figure — the KPI's organisation types, those
complete for its window (workforce.kpi), of the total's members in the figure's month (a new
footprint's back-cast months included) — so two KPIs adding up different types, a membership change
inside a 12-month window and England's remainder are all checked the same way. A figure whose window
reads a month in which its total is refused outright (access.refused_aggregates) is refused too.
The universe of totals is whatever `access.visible_aggregates` lists.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from .access import ALL_ENGLAND, refused_aggregates, visible_aggregates
from ..base.config import Component, Config, Kpi
from ..base.db import Database
from ..base.formatting import month_label

Figure = tuple[str, str, dt.date]        # (total, kpi, month)


def months_before(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def window_months(kpi: Kpi, part: Component, month: dt.date, monthly: bool = False) -> list[dt.date]:
    """The months one component of a KPI's figure for `month` reads (`monthly`: its monthly SPC value)."""
    if monthly:  # the month's own value: a flow in the month, a stock at its start (the month before) or end
        return {"start": [months_before(month, 1)],
                "mean_start_end": [months_before(month, 1), month]}.get(part.aggregation, [month])
    if kpi.window == "rolling_12m":
        return {"sum": [months_before(month, i) for i in range(12)], "start": [months_before(month, 12)],
                "mean_start_end": [months_before(month, 12), month]}.get(part.aggregation, [month])
    if kpi.window == "fytd" and part.aggregation == "sum":
        return [months_before(month, i) for i in range((month.month - 4) % 12 + 1)]
    return [month]


def has_monthly_value(kpi: Kpi) -> bool:
    return kpi.spc_basis == "monthly" and kpi.window in ("rolling_12m", "fytd")


@dataclass(frozen=True)
class Contributions:
    """What the figures are made of, per organisation (one staff group, or all)."""
    complete: dict[tuple[str, dt.date], frozenset[str]]       # (kpi, month): organisations added in
    complete_monthly: dict[tuple[str, dt.date], frozenset[str]]  # the same for the monthly SPC value
    adding: dict[tuple[str, dt.date], frozenset[str]]          # (measure, month): non-zero value


def contributions(per_org: pd.DataFrame, values: pd.DataFrame) -> Contributions:
    """From every organisation's own KPI rows (kpi, grp, period, value, spc_value: a row only where
    the organisation is complete for the window) and its measures' monthly values (grp, measure,
    period, month_value)."""
    def grouped(frame: pd.DataFrame, keys: list[str]) -> dict:
        return {key: frozenset(group["grp"]) for key, group in frame.groupby(keys, sort=False)}

    per_org = per_org[per_org["value"].notna()]
    values = values[values["month_value"].fillna(0) != 0]
    return Contributions(grouped(per_org, ["kpi", "period"]),
                         grouped(per_org[per_org["spc_value"].notna()], ["kpi", "period"]),
                         grouped(values, ["measure", "period"]))


def refusals(config: Config, own: tuple[str, ...], made_of: Contributions,
             months: list[dt.date]) -> dict[Figure, str]:
    """{(total, kpi, month): reason} for a user limited to `own` organisations, over `months`."""
    own_set, k = set(own), config.access.min_other_organisations
    refused: dict[Figure, str] = {}
    reads: dict[Figure, list[tuple[str, dt.date, frozenset[str]]]] = {}
    outright = _Outright(config, own)
    for month in months:
        for total, members in visible_aggregates(config, month).items():
            if members <= own_set:
                continue
            for kpi in config.kpis:
                figure = (total, kpi.id, month)
                cells = _cells(config, kpi, month, members, own_set, made_of)
                if not cells:
                    continue
                blocked = next((t for _m, t, _s in cells if outright.refused(total, t)), None)
                if blocked is not None:
                    refused[figure] = outright.reason(total, blocked)
                else:
                    reads[figure] = cells
    cells: dict[tuple[str, dt.date], dict[Figure, frozenset[str]]] = defaultdict(dict)
    for figure, read in reads.items():
        for measure, month, orgs in read:
            cells[(measure, month)][figure] = orgs
    for (measure, month), family in cells.items():
        adding = made_of.adding.get((measure, month), frozenset())
        while True:
            small = _small_group(family, adding, k)
            if small is None:
                break
            for figure in _to_refuse(family, small):
                refused[figure] = _reason(config, figure, measure, month, k)
                for other_measure, other_month, _orgs in reads[figure]:
                    cells[(other_measure, other_month)].pop(figure, None)
    return refused


def _cells(config: Config, kpi: Kpi, month: dt.date, members: frozenset[str], own: set[str],
           made_of: Contributions) -> list[tuple[str, dt.date, frozenset[str]]]:
    """(measure, month read, organisations besides the user's own added in) for one figure; [] when
    nobody besides the user adds anything to it (it is then their own figure, or nothing)."""
    types = set(kpi.covered_types)
    kinds = [(made_of.complete, False)] + ([(made_of.complete_monthly, True)] if has_monthly_value(kpi) else [])
    out = []
    for complete, monthly in kinds:
        added = {o for o in complete.get((kpi.id, month), ()) if o in members and config.org_by_code[o].type in types}
        others = frozenset(added - own)
        if not others:
            continue
        for part in (kpi.numerator, kpi.denominator):
            if part is not None:
                out += [(measure, read, others) for read in window_months(kpi, part, month, monthly)
                        for measure in part.measures]
    return out


def _small_group(family: dict[Figure, frozenset[str]], adding: frozenset[str], k: int) -> frozenset[str] | None:
    """The smallest group of organisations the sets cut out in which 1 to k−1 add to the measure."""
    sets = list(dict.fromkeys(family.values()))
    groups: dict[tuple[bool, ...], set[str]] = defaultdict(set)
    for org in set().union(*sets) if sets else ():
        groups[tuple(org in s for s in sets)].add(org)
    small = [frozenset(g) for g in groups.values() if 0 < len(g & adding) < k]
    return min(small, key=lambda g: (len(g), sorted(g))) if small else None


def _to_refuse(family: dict[Figure, frozenset[str]], group: frozenset[str]) -> list[Figure]:
    """The figures of the smallest total holding the group (England, which holds every group, last)."""
    holders = sorted({(len(orgs), figure[0] == ALL_ENGLAND, figure[0]) for figure, orgs in family.items()
                      if group <= orgs})
    _, _, total = holders[0]
    chosen = next(orgs for figure, orgs in family.items() if figure[0] == total and group <= orgs)
    return [figure for figure, orgs in family.items() if figure[0] == total and orgs == chosen]


def _reason(config: Config, figure: Figure, measure: str, month: dt.date, k: int) -> str:
    total, kpi_id, _ = figure
    name = "England" if total == ALL_ENGLAND else config.ics_by_code[total].name if total in config.ics_by_code \
        else total
    return (f"{name}'s {config.kpi_by_id[kpi_id].label.lower()} is not shown to you for this month: taken with "
            f"other figures you can see, its {config.measure_by_id[measure].label.lower()} in "
            f"{month_label(month)} would come from fewer than {k} organisations besides yours.")


class _Outright:
    """Totals refused outright by membership (access.refused_aggregates), month by month."""

    def __init__(self, config: Config, own: tuple[str, ...]):
        self.config, self.own = config, own
        self._months: dict[dt.date, dict[str, str]] = {}

    def _at(self, month: dt.date) -> dict[str, str]:
        if month not in self._months:
            self._months[month] = refused_aggregates(self.config, self.own, month)
        return self._months[month]

    def refused(self, total: str, month: dt.date) -> bool:
        return total in self._at(month) and bool(visible_aggregates(self.config, month).get(total))

    def reason(self, total: str, month: dt.date) -> str:
        return (f"{self._at(month)[total].split(' for this month')[0]} for this month: its figure reads "
                f"{month_label(month)}, when the total could reveal a single organisation you do not have "
                "access to.")


def figures_refused(db: Database, config: Config, own: tuple[str, ...], *, staff_group: str | None = None,
                    end: dt.date | None = None) -> dict[Figure, str]:
    """{(total, kpi, month): reason} for a user limited to `own` organisations looking at every total
    (a staff group: its cells), from the database's per-organisation figures up to `end`."""
    from ..measures.kpi import components, kpi_frame

    codes = [o.code for o in config.organisations]
    per_org = kpi_frame(db, config, config.kpis, codes, group_by="org", staff_group=staff_group, end=end)
    measures = sorted({m for k in config.kpis for m in k.measure_ids})
    values = components(db, measures, codes, group_by="org", staff_group=staff_group, end=end,
                        all_staff_groups=config.all_staff_groups_label)
    values["period"] = pd.to_datetime(values["period"]).dt.date
    months = sorted(set(per_org["period"]))
    return refusals(config, own, contributions(per_org, values), months)
