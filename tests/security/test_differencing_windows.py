"""Findings 2, 6 and 7 (issue 19): differencing checked on fixed organisation sets month by month let
other organisations' figures through windows, organisation types and remainders.

2: back-cast Surrey and Sussex (E54000069) is refused to the RWH viewer before April 2026 (it minus
   Sussex minus Surrey Heartlands is Frimley Health, RDU), but its figures from April 2026 are
   12-month windows reaching back into the refused months: R(m) − R(m−1) + month(m) gives each refused
   month back, and subtracting the two ICSs shown leaves RDU's levy expired to the penny.
6: apprenticeship starts divide by every type's headcount, stability by NHS trusts' only: for Kent
   and Medway the two denominators differ by the ICB's headcount alone.
7: England minus the ICS totals left two trusts (RQW + RWX) for NHS-trust KPIs, because the
   remainder counted an ICB as contributing. Regions (issue 17) are totals too: a region less the
   ICSs shown within it is checked the same way.

The general test takes every figure the viewer is shown (England, every region and every ICS, every
KPI, every month), the organisations actually added into it (the KPI's organisation types, those complete for
its window), and every month each of its components reads (12-month windows, the stock at the
window's start, the month before for the monthly SPC value). For each measure and month, the sets
that read it cut the other organisations into groups no figure separates; every group must hold
no organisation that adds to that measure then, or at least k."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd
import pytest

from tests.security.scope_fixtures import OWN, demo_config, demo_db, demo_db_path, month  # noqa: F401
from workforce.measures.kpi import components, kpi_frame
from workforce.protect.figures import series
from workforce.protect.scope import resolve
from workforce.measures.selection import ALL_ENGLAND, Selection

OCT = month("2026-10")
SURREY_SUSSEX, SUSSEX, SURREY_HEARTLANDS, KENT = "E54000069", "QNX", "QXU", "QKS"


def months_back(day: dt.date, n: int) -> dt.date:
    return (pd.Timestamp(day) - pd.DateOffset(months=n)).date()


def window_months(kpi, aggregation: str, m: dt.date, spc: bool = False) -> list[dt.date]:
    """The months a component of a KPI's figure for month m reads (worked out from config.yaml's
    definitions, not from the product's code)."""
    if spc:  # the month's own value: a flow in the month, a stock at its start (the month before) or end
        return {"start": [months_back(m, 1)], "mean_start_end": [months_back(m, 1), m]}.get(aggregation, [m])
    if kpi.window == "rolling_12m":
        return {"sum": [months_back(m, i) for i in range(12)], "start": [months_back(m, 12)],
                "mean_start_end": [months_back(m, 12), m]}.get(aggregation, [m])
    if kpi.window == "fytd" and aggregation == "sum":
        first = dt.date(m.year - (m.month < 4), 4, 1)
        return [months_back(m, i) for i in range((m.year - first.year) * 12 + m.month - first.month + 1)]
    return [m]


@pytest.fixture(scope="module")
def raw(demo_db_path, demo_config):
    """Per organisation: every KPI's figure (rows only where the organisation is complete for the
    window) and every measure's monthly value."""
    from workforce.base.db import Database

    db = Database(demo_db_path)
    codes = [o.code for o in demo_config.organisations]
    per_org = kpi_frame(db, demo_config, demo_config.kpis, codes, group_by="org")
    measures = sorted({m for k in demo_config.kpis for m in k.measure_ids})
    values = components(db, measures, codes, group_by="org", all_staff_groups=demo_config.all_staff_groups_label)
    values["period"] = pd.to_datetime(values["period"]).dt.date
    return per_org, values.set_index(["measure", "period", "grp"])["month_value"]


@pytest.fixture(scope="module")
def shown(demo_db_path, demo_config):
    """{aggregate: (Scope, the series the viewer is shown)} for England, every NHS England region and
    every ICS: every total anyone can ask for."""
    from workforce.base.db import Database

    db = Database(demo_db_path)
    out = {}
    for code in [ALL_ENGLAND] + [r.code for r in demo_config.regions] + [i.code for i in demo_config.icss]:
        scope = resolve(db, demo_config, Selection(ics=code), OWN)
        out[code] = (scope, series(db, demo_config, demo_config.kpis, scope, end=OCT))
    return out


def test_2_refused_back_cast_months_do_not_come_back_through_12_month_windows(demo_db, demo_config, shown, raw):
    kpi = demo_config.kpi_by_id["levy_expired"]
    scope, frame = shown[SURREY_SUSSEX]
    assert scope.span_at(month("2025-06")) is None  # refused before April 2026 (the precondition)
    mine = frame[frame["kpi"] == kpi.id].set_index("period").sort_index()
    recovered = {}
    for now in mine.index:
        before = months_back(now, 1)
        if before in mine.index and pd.notna(mine.loc[now, "spc_value"]):
            # R(m) − R(m−1) = f(m) − f(m−12): the month a year earlier, inside the refused months
            recovered[months_back(now, 12)] = mine.loc[now, "spc_value"] / 12 - (
                mine.loc[now, "numerator"] - mine.loc[before, "numerator"])
    icss = {code: shown[code][1] for code in (SUSSEX, SURREY_HEARTLANDS)}
    _, values = raw
    found = []
    for period, whole in recovered.items():
        parts = [f[(f["kpi"] == kpi.id) & (f["period"] == period)]["spc_value"] for f in icss.values()]
        if any(p.empty or p.isna().all() for p in parts):
            continue
        rdu = whole - sum(float(p.iloc[0]) / 12 for p in parts)
        true = values.get(("levy_expired", period, "RDU"))
        if true is not None and abs(rdu - true) < 0.01:
            found.append((period, round(rdu, 2)))
    assert not found, f"RDU's levy expired recovered to the penny: {found}"


def test_2_no_figure_shown_reads_a_month_its_total_is_refused_in(demo_config, shown):
    found = []
    for code, (scope, frame) in shown.items():
        if code == ALL_ENGLAND:
            continue
        refused = {m for m in pd.date_range("2019-01-01", OCT, freq="MS").date
                   if demo_config.area_members(code, m) and scope.span_at(m) is None}
        for row in frame.itertuples():
            kpi = demo_config.kpi_by_id[row.kpi]
            read = {t for part in (kpi.numerator, kpi.denominator) if part
                    for t in window_months(kpi, part.aggregation, row.period)}
            if read & refused:
                found.append((code, row.kpi, row.period, min(read & refused)))
    assert not found, f"{len(found)} figures read refused months, e.g. {found[:3]}"


def counted(config, per_org: pd.DataFrame, kpi, members, period) -> frozenset[str]:
    """The organisations added into a total's figure: of the KPI's types, complete for its window."""
    rows = per_org[(per_org["kpi"] == kpi.id) & (per_org["period"] == period)]
    typed = {o for o in members if config.org_by_code[o].type in kpi.covered_types}
    return frozenset(set(rows["grp"]) & typed)


def test_6_two_kpis_sharing_a_measure_do_not_difference_to_one_organisation(demo_config, shown, raw):
    """Kent and Medway: apprenticeship starts (every type) and stability (NHS trusts) both read the
    headcount at the start of the window."""
    per_org, values = raw
    scope, frame = shown[KENT]
    k = demo_config.access.min_other_organisations
    starts, stability = (demo_config.kpi_by_id[i] for i in ("apprenticeship_starts_pct", "stability_index"))
    members = demo_config.counted_members(KENT, OCT)
    opportunities, found = 0, []
    for period in sorted(set(per_org["period"])):
        apart = counted(demo_config, per_org, starts, members, period) ^ \
            counted(demo_config, per_org, stability, members, period)
        adding = {o for o in apart - set(OWN) if values.get(("headcount", months_back(period, 12), o), 0) != 0}
        if not 0 < len(adding) < k:
            continue
        opportunities += 1  # the two figures, if both were shown, would differ by these organisations alone
        if all(((frame["kpi"] == kpi.id) & (frame["period"] == period)).any() for kpi in (starts, stability)):
            found.append((period, sorted(adding)))
    assert opportunities >= 12
    assert not found, f"denominators differing by {found[0][1]} in {len(found)} months"


def remainders(config, per_org: pd.DataFrame, shown: dict, total: str, inside) -> list[tuple]:
    """(kpi, month, organisations) left of each figure of `total` shown once the viewer's own and the
    figures of the totals `inside(code, its organisations, the total's)` shown the same month are taken off."""
    out = []
    total_scope, frame = shown[total]
    for row in frame.itertuples():
        kpi, whole_orgs = config.kpi_by_id[row.kpi], total_scope.span_at(row.period).orgs
        covered = set(OWN)
        for code, (scope, part) in shown.items():
            span = scope.span_at(row.period)
            if code != total and span and inside(code, set(span.orgs), set(whole_orgs)) and \
                    ((part["kpi"] == row.kpi) & (part["period"] == row.period)).any():
                covered |= counted(config, per_org, kpi, span.orgs, row.period)
        out.append((row.kpi, row.period, counted(config, per_org, kpi, whole_orgs, row.period) - covered))
    return out


def test_7_england_minus_the_icss_shown_never_leaves_fewer_than_k_trusts(demo_config, shown, raw):
    k = demo_config.access.min_other_organisations
    found = [(kpi, period, sorted(rest)) for kpi, period, rest
             in remainders(demo_config, raw[0], shown, ALL_ENGLAND, lambda *_: True) if 0 < len(rest) < k]
    assert not found, f"{len(found)} England figures leave fewer than {k} organisations, e.g. {found[:3]}"


def test_7_a_region_minus_the_icss_shown_within_it_never_leaves_fewer_than_k_organisations(demo_config, shown,
                                                                                          raw):
    """The same remainder one level down: a region's figure less its ICSs' figures shown the same
    month (and the viewer's own organisations) is 0 or at least k organisations that add to the KPI.
    East of England in October 2026 is Central East (the viewer's) and Essex (RQW alone): its figures
    would be RQW's own."""
    k = demo_config.access.min_other_organisations
    within = lambda code, orgs, region: code in demo_config.ics_by_code and orgs <= region  # noqa: E731
    left = [(region, *found) for region in (r.code for r in demo_config.regions)
            for found in remainders(demo_config, raw[0], shown, region, within)]
    assert len(left) > 100  # the viewer is shown regions' figures: the check had something to check
    found = [(region, kpi, period, sorted(rest)) for region, kpi, period, rest in left if 0 < len(rest) < k]
    assert not found, f"{len(found)} region figures leave fewer than {k} organisations, e.g. {found[:3]}"


def test_a_region_that_would_be_one_organisation_beyond_the_viewers_is_refused(demo_config, shown):
    """East of England in October 2026 counts Central East (RWH's ICS) and Essex (RQW alone)."""
    scope, frame = shown["Y61"]
    assert set(demo_config.area_members("Y61", OCT)) - set(demo_config.area_members("E54000065", OCT)) == {"RQW"}
    assert frame[frame["period"] == OCT].empty
    assert "East of England is not shown to you" in " ".join(scope.notes + ((scope.refusal,) if scope.refusal else ()))


def test_every_group_the_figures_shown_separate_holds_k_organisations_adding_to_it(demo_config, shown, raw):
    per_org, values = raw
    k = demo_config.access.min_other_organisations
    sets: dict[tuple[str, dt.date], set[frozenset[str]]] = defaultdict(set)
    for code, (scope, frame) in shown.items():
        for row in frame.itertuples():
            kpi = demo_config.kpi_by_id[row.kpi]
            orgs = counted(demo_config, per_org, kpi, scope.span_at(row.period).orgs, row.period)
            for part in (kpi.numerator, kpi.denominator):
                if part is None:
                    continue
                spc = [True] if kpi.spc_basis == "monthly" and kpi.window != "month" and \
                    pd.notna(row.spc_value) else []
                for monthly in [False, *spc]:
                    for t in window_months(kpi, part.aggregation, row.period, spc=monthly):
                        for measure in part.measures:
                            sets[(measure, t)].add(orgs - set(OWN))
    found, cells = [], 0
    for (measure, t), family in sets.items():
        family = [s for s in family if s]
        universe = set().union(*family) if family else set()
        groups: dict[tuple, set[str]] = defaultdict(set)
        for org in universe:
            groups[tuple(org in s for s in family)].add(org)
        for group in groups.values():
            adding = [o for o in group if values.get((measure, t, o), 0) not in (0, None)]
            cells += 1
            if 0 < len(adding) < k:
                found.append((measure, t, sorted(adding)))
    assert cells > 1000
    assert not found, f"{len(found)} groups of 1 to {k - 1} organisations can be told apart, e.g. {found[:5]}"
