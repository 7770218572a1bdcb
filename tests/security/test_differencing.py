"""Finding 2 (issue 12): subtracting two totals the RWH viewer could see gave one organisation's
own figures: Frimley (QNQ) minus Thames Valley (E54000070) turnover for June 2025 was Frimley
Health's (RDU) 800 / 8254.5, and QM7 minus Central East (E54000065) was RQW's 497 / 4234.5.

The search test goes through every month of the demo and every pair of ICS/England totals the
viewer can reach (as the scope allows them, a new footprint's back-cast months included: before
April 2026 Central East counts today's members, QM7 minus RQW, so one of that pair is refused), subtracts their unrounded numerators and
denominators, and checks that no difference is one organisation's figures."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest

from tests.security.scope_fixtures import OWN, demo_config, demo_db, demo_db_path, month  # noqa: F401
from workforce.measures.kpi import kpi_frame
from workforce.protect.figures import series
from workforce.protect.scope import resolve
from workforce.measures.selection import ALL_ENGLAND, Selection

pytestmark = pytest.mark.slow  # every total in every month of the demo: in the full run, not the quick one

OCT_2026 = month("2026-10")


@pytest.fixture(scope="module")
def per_org(demo_db_path, demo_config):
    """Every organisation's own unrounded numerator and denominator, every KPI and month."""
    from workforce.base.db import Database

    db = Database(demo_db_path)
    frame = kpi_frame(db, demo_config, demo_config.kpis, [o.code for o in demo_config.organisations], group_by="org")
    return frame[["kpi", "grp", "period", "numerator", "denominator"]].fillna(0.0)


def test_the_published_attack_figures_are_what_the_search_looks_for(per_org):
    """The detector works: RDU's and RQW's June 2025 turnover figures are the issue's numbers."""
    june = per_org[(per_org["kpi"] == "turnover_rate_12m") & (per_org["period"] == month("2025-06"))]
    rdu = june[june["grp"] == "RDU"].iloc[0]
    rqw = june[june["grp"] == "RQW"].iloc[0]
    assert (rdu["numerator"], rdu["denominator"]) == (800, 8254.5)
    assert (rqw["numerator"], rqw["denominator"]) == (497, 4234.5)
    # clamped membership (the old rule): E54000070 meant its April 2026 members (RWX, QNQ) in June 2025
    by_org = june.set_index("grp")
    clamped_difference = by_org.loc[["RDU", "RWX", "QNQ"], "numerator"].sum() - by_org.loc[["RWX", "QNQ"], "numerator"].sum()
    assert clamped_difference == 800


def test_the_two_published_attacks_fail(demo_db, demo_config):
    june = month("2025-06")
    thames = resolve(demo_db, demo_config, Selection(ics="E54000070", period=june), OWN)
    assert thames.orgs == [] and thames.refusal  # did not exist in June 2025 (and too small after)
    # Central East began in April 2026; its June 2025 figure counts today's members (back-cast):
    # Hertfordshire and West Essex minus RQW. Of that pair, the viewer is shown one, never both.
    central = resolve(demo_db, demo_config, Selection(ics="E54000065", period=june), OWN)
    qm7 = resolve(demo_db, demo_config, Selection(ics="QM7", period=june), OWN)
    assert set(central.orgs) == {"RWH", "RWG", "RWR", "RY4", "RYC", "QM7", "QM7PC", "QM7SC"}
    assert qm7.orgs == [] and "Hertfordshire and West Essex is not shown to you" in qm7.refusal
    assert "fewer than 3" in qm7.refusal
    essex = resolve(demo_db, demo_config, Selection(ics="E54000066", period=june), OWN)
    assert essex.orgs == [] and "Essex is not shown to you" in essex.refusal  # RQW alone, back-cast
    frimley = resolve(demo_db, demo_config, Selection(ics="QNQ", period=june), OWN)
    assert frimley.orgs == [] and frimley.refusal  # Frimley minus back-cast Thames Valley would be RDU
    for later in ("2026-04", "2026-10"):
        assert resolve(demo_db, demo_config, Selection(ics="QM7", period=month(later)), OWN).orgs == []
        assert resolve(demo_db, demo_config, Selection(ics="E54000070", period=month(later)), OWN).refusal


@pytest.fixture(scope="module")
def viewer_totals(demo_db_path, demo_config):
    """{total: (its Scope for the viewer, the (kpi, month) figures it shows them)} for England and
    every ICS, through the same functions as the screen, packs and CLI."""
    from workforce.base.db import Database

    db = Database(demo_db_path)
    out = {}
    for code in [ALL_ENGLAND] + [i.code for i in demo_config.icss]:
        scope = resolve(db, demo_config, Selection(ics=code), OWN)
        shown = series(db, demo_config, demo_config.kpis, scope, end=month("2026-10"))
        out[code] = (scope, set(zip(shown["kpi"], shown["period"])))
    return out


def test_no_two_visible_totals_differ_by_one_organisation_in_any_month(demo_config, per_org, viewer_totals):
    """Subtract the unrounded numerators and denominators of every pair of totals the viewer is
    shown in the same month (and their own organisation's figures), for every KPI: no difference
    is another organisation's own figures, and no two member sets differ by fewer than k."""
    k = demo_config.access.min_other_organisations
    months = sorted(per_org["period"].unique())
    assert len(months) >= 60
    indexed = per_org.set_index(["period", "kpi", "grp"]).sort_index()
    found, pairs, back_cast = [], 0, set()
    for period in months:
        frame = indexed.loc[period]
        sets = {"own": (tuple(OWN), None)}
        for code, (scope, shown) in viewer_totals.items():
            span = scope.span_at(period)
            if span is not None:
                sets[code] = (span.orgs, shown)
                start = demo_config.back_cast_from(code) if code != ALL_ENGLAND else None
                if start and period < start:
                    back_cast.add(period)
        for (a, (first, shown_a)), (b, (second, shown_b)) in itertools.combinations(sets.items(), 2):
            differ = set(first) ^ set(second)
            if not differ:
                continue
            assert len(differ - set(OWN)) >= k, (period, a, b, differ)
            for kpi_id in frame.index.get_level_values("kpi").unique():
                if (shown_a is not None and (kpi_id, period) not in shown_a) or \
                        (shown_b is not None and (kpi_id, period) not in shown_b):
                    continue  # the viewer is not shown one of the two
                pairs += 1
                part = frame.loc[kpi_id]
                total = lambda orgs: part.reindex(list(orgs)).fillna(0.0)[["numerator", "denominator"]].sum()  # noqa: E731
                difference = (total(first) - total(second)).abs()
                match = part[(part["numerator"].sub(difference["numerator"]).abs() < 1e-6)
                             & (part["denominator"].sub(difference["denominator"]).abs() < 1e-6)
                             & ~part.index.isin(OWN)]
                if not match.empty and difference.sum() > 0:
                    found.append((period, a, b, kpi_id, list(match.index)))
    assert pairs > 5000  # the search covered the ground
    assert len(back_cast) >= 48  # ... including a new footprint's back-cast months (Central East before Apr 2026)
    assert not found, found[:5]


def test_england_minus_every_other_visible_total_is_never_fewer_than_k_organisations(demo_config, per_org,
                                                                                    viewer_totals):
    """More than two totals at once: England minus every ICS total the viewer is shown that month (for
    that KPI) and minus their own organisation leaves either nothing or at least k organisations that
    add to the KPI — never one or two organisations' own figures."""
    k = demo_config.access.min_other_organisations
    england, england_shown = viewer_totals[ALL_ENGLAND]
    checked, found = 0, []
    for (kpi_id, period), part in per_org.groupby(["kpi", "period"]):
        if (kpi_id, period) not in england_shown:
            continue
        covered = set(OWN)
        for code, (scope, shown) in viewer_totals.items():
            span = scope.span_at(period)
            if code != ALL_ENGLAND and span is not None and (kpi_id, period) in shown:
                covered |= set(span.orgs)
        rest = part[~part["grp"].isin(covered) & part["numerator"].ne(0)]
        checked += 1
        if 0 < len(rest) < k:
            found.append((kpi_id, period, list(rest["grp"])))
    assert checked > 500
    assert not found, found[:5]


def england_refused(config, kpi, quiet: set[str]) -> bool:
    """Whether the differencing check refuses the viewer England's October 2026 figure for a KPI, when
    every organisation reports it but `quiet` ones add nothing (a zero in every month)."""
    from workforce.protect.differencing import contributions, refusals, window_months

    codes = [o.code for o in config.organisations]
    per_org = pd.DataFrame({"kpi": kpi.id, "grp": codes, "period": OCT_2026, "value": 10.0, "spc_value": 10.0})
    months = {t for part in (kpi.numerator, kpi.denominator) if part for t in window_months(kpi, part, OCT_2026)}
    values = pd.DataFrame([{"grp": o, "measure": m, "period": t, "month_value": 0.0 if o in quiet else 50.0}
                           for o in codes for m in kpi.measure_ids for t in months])
    refused = refusals(config, tuple(OWN), contributions(per_org, values), [OCT_2026])
    return (ALL_ENGLAND, kpi.id, OCT_2026) in refused


def test_england_is_withheld_when_it_minus_the_other_totals_is_one_organisation(demo_config):
    """April 2026 on, Essex (RQW) and Thames Valley (RWX, QNQ) are refused to the RWH viewer, so England
    minus every ICS they are shown is RQW + RWX + QNQ: three organisations for a KPI of every type read
    in its month alone (a 12-month figure of back-cast Surrey and Sussex is refused until April 2027,
    which leaves more). In a month where RWX and QNQ add nothing, that remainder is RQW alone, and
    England must be withheld."""
    every_type = demo_config.kpi_by_id["staff_engagement"]
    assert every_type.window == "annual"
    assert set(every_type.covered_types) >= {"ICB", "acute"}
    assert england_refused(demo_config, every_type, {"RWX", "QNQ"})
    assert not england_refused(demo_config, every_type, set())  # RQW, RWX and QNQ all add: shown


def test_england_remainder_counts_only_the_organisations_a_kpi_adds_up(demo_config):
    """Finding 7 (issue 19): for a KPI of NHS trusts, the ICB QNQ adds nothing to England's figure, so
    the remainder is RQW + RWX alone, two trusts: England is withheld even when both report."""
    trusts = demo_config.kpi_by_id["sickness_absence_rate"]
    assert "ICB" not in trusts.covered_types and trusts.window == "month"
    assert england_refused(demo_config, trusts, set())


def test_a_group_one_organisation_dominates_is_not_shown(demo_config):
    """The differencing check counts organisations, and also weighs them: when one organisation makes up
    more than access.max_single_share (90%) of what a group the viewer can isolate adds up to, the group's
    sum is that organisation's figure give or take 10%, so the total that isolates it is withheld."""
    from workforce.protect.differencing import contributions, refusals, window_months

    kpi = demo_config.kpi_by_id["staff_engagement"]  # every type, read in its month alone
    codes = [o.code for o in demo_config.organisations]
    per_org = pd.DataFrame({"kpi": kpi.id, "grp": codes, "period": OCT_2026, "value": 10.0, "spc_value": 10.0})
    months = {t for part in (kpi.numerator, kpi.denominator) if part for t in window_months(kpi, part, OCT_2026)}

    def refused(big: float) -> bool:
        values = pd.DataFrame([{"grp": o, "measure": m, "period": t,
                                "month_value": big if o == "RWX" else 1.0 if o in ("RQW", "QNQ") else 50.0}
                               for o in codes for m in kpi.measure_ids for t in months])
        found = refusals(demo_config, tuple(OWN), contributions(per_org, values), [OCT_2026])
        return (ALL_ENGLAND, kpi.id, OCT_2026) in found

    assert demo_config.access.max_single_share == 0.9
    assert refused(big=95.0)       # RWX: 95 of 97 in England's remainder (RQW + RWX + QNQ)
    assert not refused(big=10.0)   # 10 of 12: no one makes up more than 90%
