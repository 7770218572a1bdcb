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
from collections import OrderedDict, defaultdict
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
    """What the figures of one cell (all staff, a staff group, an equality group) are made of, per
    organisation, each set of organisations a bit mask over `orgs`."""
    orgs: tuple[str, ...]
    complete: dict[tuple[str, dt.date], int]          # (kpi, month): organisations complete for the window
    complete_monthly: dict[tuple[str, dt.date], int]  # the same for the monthly SPC value
    adding: dict[tuple[str, dt.date], int]            # (measure, month): a non-zero value
    amounts: dict[tuple[str, dt.date], dict[int, float]]  # (measure, month): {organisation's bit: |value|}

    def mask(self, codes) -> int:
        index = {o: i for i, o in enumerate(self.orgs)}
        return sum(1 << index[c] for c in set(codes) if c in index)


def contributions(per_org: pd.DataFrame, values: pd.DataFrame) -> Contributions:
    """From every organisation's own KPI rows (kpi, grp, period, value, spc_value: a row only where the
    organisation is complete for the window) and its measures' monthly values (grp, measure, period,
    month_value)."""
    orgs = tuple(sorted(set(per_org["grp"]) | set(values["grp"])))
    bit = {o: 1 << i for i, o in enumerate(orgs)}

    def masks(frame: pd.DataFrame, keys: list[str]) -> dict:
        """{key: the bits of its organisations} (distinct powers of two add up to their union)."""
        distinct = frame[keys + ["grp"]].drop_duplicates()
        bits = pd.Series([bit[o] for o in distinct["grp"]], index=distinct.index, dtype=object)
        return {(key if isinstance(key, tuple) else (key,)): int(mask)
                for key, mask in bits.groupby([distinct[k] for k in keys], sort=False).sum().items()}

    monthly = per_org[per_org["spc_value"].notna()]  # before any headline figure, the SPC value alone
    per_org = per_org[per_org["value"].notna()]
    values = values[values["month_value"].fillna(0) != 0]
    amounts: dict[tuple[str, dt.date], dict[int, float]] = defaultdict(dict)
    for measure, period, org, value in zip(values["measure"], values["period"], values["grp"], values["month_value"]):
        amounts[(measure, period)][bit[org]] = abs(float(value))
    return Contributions(orgs, masks(per_org, ["kpi", "period"]),
                         masks(monthly, ["kpi", "period"]),
                         masks(values, ["measure", "period"]), dict(amounts))


def refusals(config: Config, own: tuple[str, ...], made_of: Contributions, months: list[dt.date]) -> dict[Figure, str]:
    """{(total, kpi, month): reason} for a user limited to `own` organisations, for figures of `months`."""
    k, own_mask, kpis = config.access.min_other_organisations, made_of.mask(own), config.kpis
    types = {kpi.id: made_of.mask(o for o in made_of.orgs if o in config.org_by_code
                                  and config.org_by_code[o].type in kpi.covered_types) for kpi in kpis}
    refused: dict[Figure, str] = {}
    reads: dict[Figure, list[tuple[str, dt.date, int]]] = {}
    outright = _Outright(config, own, months)
    windows = {(kpi.id, month): _windows(kpi, month) for kpi in kpis for month in months}
    for month in months:
        for total, members in outright.totals(month).items():
            members_mask = made_of.mask(members)
            if not members_mask & ~own_mask:
                continue
            blocked_in = outright.refused_months(total)
            for kpi in kpis:
                cells = _cells(kpi, month, members_mask & types[kpi.id] & ~own_mask, made_of, windows[(kpi.id, month)])
                if not cells:
                    continue
                blocked = min((t for _m, t, _s in cells if t in blocked_in), default=None)
                if blocked is not None:
                    refused[(total, kpi.id, month)] = outright.reason(total, blocked)
                else:
                    reads[(total, kpi.id, month)] = cells
    by_cell: dict[tuple[str, dt.date], dict[Figure, int]] = defaultdict(dict)
    for figure, read in reads.items():
        for measure, month, orgs in read:
            by_cell[(measure, month)][figure] = orgs
    share = config.access.max_single_share
    for (measure, month), family in by_cell.items():
        adding, amounts = made_of.adding.get((measure, month), 0), made_of.amounts.get((measure, month), {})
        while (small := _weak_group(family, adding, amounts, k, share)) is not None:
            for figure in _to_refuse(config, family, small):
                refused[figure] = _reason(config, figure, measure, month, k)
                for other_measure, other_month, _orgs in reads[figure]:
                    by_cell[(other_measure, other_month)].pop(figure, None)
    return refused


def _windows(kpi: Kpi, month: dt.date) -> dict[bool, list[tuple[str, dt.date]]]:
    """{monthly: [(measure, month read)]} for a KPI's figure for `month` (monthly: its monthly SPC value)."""
    return {monthly: [(measure, read) for part in (kpi.numerator, kpi.denominator) if part is not None
                      for read in window_months(kpi, part, month, monthly) for measure in part.measures]
            for monthly in ([False, True] if has_monthly_value(kpi) else [False])}


def _cells(kpi: Kpi, month: dt.date, counted: int, made_of: Contributions,
           windows: dict[bool, list[tuple[str, dt.date]]]) -> list[tuple[str, dt.date, int]]:
    """(measure, month read, organisations besides the user's own added in) for one figure whose total
    counts `counted` (of the KPI's types, besides the user's own); [] when none of them is added in."""
    out = []
    for monthly, read in windows.items():
        others = (made_of.complete_monthly if monthly else made_of.complete).get((kpi.id, month), 0) & counted
        if others:
            out += [(measure, t, others) for measure, t in read]
    return out


def _weak_group(family: dict[Figure, int], adding: int, amounts: dict[int, float], k: int,
                share: float) -> int | None:
    """The smallest group the sets cut the organisations into that gives someone away: 1 to k−1 of its
    organisations add to the measure, or one of them makes up more than `share` of what it adds up to."""
    sets = set(family.values())
    groups = [_union(sets)] if sets else []
    for orgs in sets:  # refine: each set splits every group into its part inside and outside the set
        groups = [part for group in groups for part in (group & orgs, group & ~orgs) if part]
    weak = [g for g in groups if 0 < (g & adding).bit_count() < k or _dominated(g & adding, amounts, share)]
    return min(weak, key=lambda g: (g.bit_count(), g)) if weak else None


def _dominated(group: int, amounts: dict[int, float], share: float) -> bool:
    """One organisation makes up more than `share` of the group's sum (its figure, give or take)."""
    values = [v for b, v in amounts.items() if b & group]
    total = sum(values)
    return total > 0 and max(values) > share * total


def _union(masks) -> int:
    out = 0
    for mask in masks:
        out |= mask
    return out


def _to_refuse(config: Config, family: dict[Figure, int], group: int) -> list[Figure]:
    """The figures of the smallest total holding the group — refusing a larger one would leave the smaller
    one isolating it — a region before an ICS of the same size (the ICSs are the plan's own view), England
    (which holds every group) last."""
    holders = sorted({(figure[0] == ALL_ENGLAND, orgs.bit_count(), config.area_kind(figure[0]) != "region",
                       figure[0]) for figure, orgs in family.items() if orgs & group == group})
    total = holders[0][-1]
    chosen = next(orgs for figure, orgs in family.items() if figure[0] == total and orgs & group == group)
    return [figure for figure, orgs in family.items() if figure[0] == total and orgs == chosen]


def _reason(config: Config, figure: Figure, measure: str, month: dt.date, k: int) -> str:
    total, kpi_id, _ = figure
    name = config.area_name(total)
    return (f"{name}'s {config.kpi_by_id[kpi_id].label.lower()} is not shown to you for this month: taken with "
            f"other figures you can see, its {config.measure_by_id[measure].label.lower()} in "
            f"{month_label(month)} would come from fewer than {k} organisations besides yours.")


class _Outright:
    """Totals refused outright by membership (access.refused_aggregates), month by month."""

    def __init__(self, config: Config, own: tuple[str, ...], months: list[dt.date]):
        self.config, self.own = config, own
        self._months: dict[dt.date, tuple[dict[str, str], dict[str, frozenset[str]]]] = {}
        self._refused_months: dict[str, frozenset[dt.date]] = {}
        # every month a figure of `months` can read: from 13 months before the first
        first, last = (min(months), max(months)) if months else (dt.date(2000, 1, 1), dt.date(2000, 1, 1))
        self._span = [months_before(first, n) for n in range(13, 0, -1)] + \
            [months_before(first, -n) for n in range((last.year - first.year) * 12 + last.month - first.month + 1)]

    def _at(self, month: dt.date) -> dict[str, str]:
        if month not in self._months:
            self._months[month] = (refused_aggregates(self.config, self.own, month),
                                   visible_aggregates(self.config, month))
        return self._months[month][0]

    def totals(self, month: dt.date) -> dict[str, frozenset[str]]:
        """Every total anyone can ask for in the month, with its members (access.visible_aggregates)."""
        self._at(month)
        return self._months[month][1]

    def refused(self, total: str, month: dt.date) -> bool:
        """Refused in a month in which the total counts some organisation (not merely before it began)."""
        return total in self._at(month) and bool(self._months[month][1].get(total))

    def refused_months(self, total: str) -> frozenset[dt.date]:
        """The months a figure may read in which the total is refused outright."""
        if total not in self._refused_months:
            self._refused_months[total] = frozenset(m for m in self._span if self.refused(total, m))
        return self._refused_months[total]

    def reason(self, total: str, month: dt.date) -> str:
        return (f"{self._at(month)[total].split(' for this month')[0]} for this month: its figure reads "
                f"{month_label(month)}, when that total could reveal a single organisation you do not have "
                "access to.")


# ---------------------------------------------------------------- from the database, remembered
Cell = tuple[str | None, str, str]   # (staff group or None, equality breakdown or '', its value or '')
_REMEMBERED: OrderedDict = OrderedDict()
REMEMBERED_MAX = 256


_FINGERPRINTS: dict[int, tuple[Config, str]] = {}


def fingerprint(config: Config) -> str:
    """A digest of everything in the config (KPIs, organisations, membership, access): equal configs
    loaded separately (the app's, the warm-up thread's) share what is remembered."""
    import hashlib

    entry = _FINGERPRINTS.get(id(config))
    if entry is None or entry[0] is not config:
        entry = (config, hashlib.sha256(config.model_dump_json().encode()).hexdigest())
        if len(_FINGERPRINTS) > 16:
            _FINGERPRINTS.clear()
        _FINGERPRINTS[id(config)] = entry  # the config is kept alive, so its id is not reused meanwhile
    return entry[1]


def _remembered(key: tuple, work):
    """work() once per key (whose first item is the data generation; None: never remembered)."""
    if key[0] is not None and key in _REMEMBERED:
        _REMEMBERED.move_to_end(key)
        return _REMEMBERED[key][1]
    result = work()
    if key[0] is not None:
        _REMEMBERED[key] = (key, result)
        while len(_REMEMBERED) > REMEMBERED_MAX:
            _REMEMBERED.popitem(last=False)
    return result


def figures_refused(db: Database, config: Config, own: tuple[str, ...],
                    cell: Cell = (None, "", "")) -> dict[Figure, str]:
    """{(total, kpi, month): reason} for a user limited to `own` organisations looking at every total's
    `cell` (all staff; a staff group; an equality group, within a staff group or all staff), from the
    database's per-organisation figures. Worked out once per data generation, config, organisations
    and cell, and remembered: it depends on who is looking only through `own`, which is in the key."""
    generation = getattr(db, "generation", None)
    key = (generation, fingerprint(config), "refused", tuple(sorted(own)), cell)

    def work():
        made_of, months = _cells_of(db, config, cell)
        return refusals(config, tuple(own), made_of, months) if made_of else {}

    return _remembered(key, work)


def warm(db: Database, config: Config, own: tuple[str, ...]) -> None:
    """Work out what a user limited to `own` may see of every total, staff-group cell and equality cell,
    so their first pages do not wait for it (the server's warm-up thread, once per data generation)."""
    figures_refused(db, config, own)
    for group in config.staff_group_names:
        figures_refused(db, config, own, (group, "", ""))
    for breakdown in config.breakdowns:
        for value in breakdown.values:
            figures_refused(db, config, own, (None, breakdown.id, value))


def _cells_of(db: Database, config: Config, cell: Cell) -> tuple[Contributions | None, list[dt.date]]:
    """The per-organisation figures of one cell, read with every other cell of its breakdown (one
    query for all staff groups, or for all values of an equality breakdown) and remembered."""
    staff_group, breakdown, value = cell
    if breakdown:
        dimension, within, name = "org_breakdown_value", staff_group, value
    elif staff_group:
        dimension, within, name = "org_staff_group", None, staff_group
    else:
        dimension, within, name = "org", None, ""
    key = (getattr(db, "generation", None), fingerprint(config), "cells", dimension, within, breakdown)
    return _remembered(key, lambda: _read_cells(db, config, dimension, within, breakdown)).get(name, (None, []))


def _read_cells(db: Database, config: Config, dimension: str, staff_group: str | None,
                breakdown: str) -> dict[str, tuple[Contributions, list[dt.date]]]:
    from ..measures.kpi import SEPARATOR, frame_of_components, monthly_components

    codes = [o.code for o in config.organisations]
    measures = sorted({m for k in config.kpis for m in k.measure_ids})
    values = monthly_components(db, measures, codes, group_by=dimension, staff_group=staff_group,
                                breakdown=breakdown, all_staff_groups=config.all_staff_groups_label)
    per_org = frame_of_components(config, config.kpis, values, group_by=dimension)
    values = values[["grp", "measure", "period", "month_value"]].copy()
    values["period"] = pd.to_datetime(values["period"]).dt.date
    if dimension == "org":
        return {"": (contributions(per_org, values), sorted(set(per_org["period"])))}
    out = {}
    for frame in (per_org, values):
        split = frame["grp"].str.split(SEPARATOR, n=1, expand=True).reindex(columns=[0, 1])  # none: no cells
        frame["grp"], frame["cell"] = split[0], split[1]
    for name in sorted(set(per_org["cell"]) | set(values["cell"])):
        mine = per_org[per_org["cell"] == name]
        out[name] = (contributions(mine, values[values["cell"] == name]), sorted(set(mine["period"])))
    return out
