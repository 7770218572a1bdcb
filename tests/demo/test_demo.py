"""The synthetic demo: structure, internal consistency, determinism, the planted signals, loading."""

from __future__ import annotations

import argparse
import datetime as dt
import io

import duckdb
import numpy as np
import pandas as pd
import pytest

from workforce.base.config import load_config
from workforce.demo import add_arguments, build_demo, build_demo_frame, run
from workforce.demo.national import write_national_config
from workforce.demo.signals import (ETHNICITY_LEAVER_GAP, FLEXIBLE_WORKING, INTERNATIONAL_RECRUITMENT, LEVY_POOLING,
                                    SICKNESS_RISE)

SHORT = dict(start=dt.date(2024, 1, 1), end=dt.date(2025, 6, 1))
LONG = dict(start=dt.date(2021, 4, 1), end=dt.date(2025, 12, 1))   # fixed, so the test does not depend on today
TRUST_TYPES = ("acute", "mental health", "community", "ambulance")
SURVEY = ("survey_eligible", "survey_respondents", "survey_engagement_sum", "survey_flexible_satisfied")
WHOLE_ORG = ("pay_bill", "agency_spend", "levy_funds_available", "levy_drawn_down", "levy_transferred_out",
             "levy_expired", "applications_clinical_education") + SURVEY
BME = ["Asian or Asian British", "Black or Black British", "Mixed", "Other ethnic group"]


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def short(config):
    return build_demo_frame(config, **SHORT)


@pytest.fixture(scope="module")
def long(config):
    return build_demo_frame(config, **LONG)


@pytest.fixture(scope="module")
def totals(long):
    """Total rows (no breakdown) as a wide table: one row per (organisation, staff group, period)."""
    rows = long[long.breakdown == ""]
    wide = rows.pivot_table(index=["org_code", "staff_group", "period"], columns="measure", values="value",
                            observed=True, aggfunc="first")
    return wide.reset_index()


def monthly(totals, orgs, measure):
    """A measure summed over staff groups and the given organisations, by period."""
    rows = totals[totals.org_code.isin(orgs)]
    return rows.groupby("period")[measure].sum(min_count=1).dropna()


def window_sum(series, end, months=12):
    end = pd.Timestamp(end)
    return series[(series.index > end - pd.DateOffset(months=months)) & (series.index <= end)].sum()


def turnover(totals, orgs, end):
    """12-month leaver rate: leavers in the window / mean headcount at its start and end (domain.md §1.1)."""
    leavers, headcount = monthly(totals, orgs, "leavers"), monthly(totals, orgs, "headcount")
    end = pd.Timestamp(end)
    start = end - pd.DateOffset(months=12)
    return window_sum(leavers, end) / ((headcount[start] + headcount[end]) / 2) * 100


def orgs_of_type(config, *types):
    return [o.code for o in config.organisations if o.type in types]


# ---------------------------------------------------------------- structure
def test_columns_and_types(short):
    assert list(short.columns) == ["period", "org_code", "staff_group", "breakdown", "breakdown_value", "measure", "value"]
    assert (short.period.dt.day == 1).all()
    assert short.value.dtype == float
    assert np.isfinite(short.value).all() and (short.value >= 0).all()
    totals = short[short.breakdown == ""]
    assert (totals.breakdown_value == "").all()


@pytest.mark.slow
def test_every_organisation_and_month_present(config, short):
    assert set(short.org_code.astype(str)) == {o.code for o in config.organisations}
    months = pd.date_range("2024-01-01", "2025-06-01", freq="MS")
    assert set(short.period) == set(months)


def test_trusts_cover_every_staff_group_and_only_plausible_ones(config, short):
    groups = short[short.breakdown == ""].groupby("org_code", observed=True).staff_group.agg(lambda s: set(s.astype(str)))
    types = {o.code: o.type for o in config.organisations}
    trust_groups = set().union(*(g for code, g in groups.items() if types[code] in TRUST_TYPES))
    # the demo draws the NHS Digital taxonomy; a group published under another definition (the turnover
    # files' doctors excluding resident doctors) is never made up from it
    taxonomy = {g.name for g in config.staff_groups if not g.definition}
    assert trust_groups == taxonomy | {config.all_staff_groups_label}
    for code, found in groups.items():
        found = found - {config.all_staff_groups_label}
        assert ("Ambulance staff" in found) == (types[code] == "ambulance"), code
        assert ("Support to ambulance staff" in found) == (types[code] == "ambulance"), code
        assert ("Midwives" in found) <= (types[code] == "acute"), code
        if types[code] == "acute":
            assert {"HCHS doctors", "Nurses & health visitors", "Midwives"} <= found, code
        if types[code] == "ICB":
            assert {"Central functions", "Managers", "Senior managers"} <= found, code


def test_whole_organisation_measures_only_on_all_staff_groups(config, short):
    label = config.all_staff_groups_label
    assert set(short.loc[short.staff_group == label, "measure"].astype(str)) == set(WHOLE_ORG)
    assert not set(short.loc[short.staff_group != label, "measure"].astype(str)) & set(WHOLE_ORG)


def test_every_configured_breakdown_value_present(config, short):
    rows = short[short.breakdown != ""]
    found = set(zip(rows.breakdown.astype(str), rows.breakdown_value.astype(str)))
    expected = {(b.id, v) for b in config.breakdowns for v in b.values}
    assert found == expected
    assert set(rows.measure.astype(str)) == {"headcount", "leavers"}


def test_breakdowns_add_up_exactly_to_totals(config, short):
    key = ["period", "org_code", "staff_group", "measure"]
    totals = short[short.breakdown == ""].set_index(key).value
    totals = totals[totals.index.get_level_values("measure").isin(["headcount", "leavers"])]
    for breakdown in config.breakdowns:
        parts = short[short.breakdown == breakdown.id].groupby(key, observed=True).value.sum()
        joined = pd.concat([totals, parts], axis=1, keys=["total", "parts"], join="outer")
        assert joined.notna().all().all(), breakdown.id
        assert (joined.total == joined.parts).all(), breakdown.id
        assert (short.loc[short.breakdown == breakdown.id, "value"] % 1 == 0).all()


def test_breakdown_leavers_never_exceed_breakdown_headcount(short):
    rows = short[short.breakdown != ""]
    wide = rows.pivot_table(index=["period", "org_code", "staff_group", "breakdown", "breakdown_value"],
                            columns="measure", values="value", observed=True)
    assert (wide.leavers <= wide.headcount).all()


# ---------------------------------------------------------------- consistency of stocks and flows
def test_headcount_is_last_month_plus_joiners_minus_leavers(totals):
    frame = totals.sort_values(["org_code", "staff_group", "period"])
    frame = frame[frame.headcount.notna()]
    previous = frame.groupby(["org_code", "staff_group"], observed=True).headcount.shift(1)
    has_previous = previous.notna()
    expected = previous + frame.joiners - frame.leavers
    assert (frame.headcount[has_previous] == expected[has_previous]).all()
    assert (frame[["headcount", "joiners", "leavers"]] % 1 == 0).all().all()


def test_stocks_and_flows_are_consistent(totals):
    staff = totals[totals.headcount.notna()]
    assert np.allclose(staff.establishment_fte, staff.fte + staff.vacancies_fte, atol=0.011)
    assert (staff.leavers <= staff.headcount).all()
    assert (staff.fte <= staff.headcount).all()
    assert (staff.leavers_under_1yr <= staff.leavers).all()
    assert (staff.joiners_local_pipeline <= staff.joiners).all()
    assert (staff.fte_days_lost <= staff.fte_days_available).all()
    assert (staff.vacancies_fte <= staff.establishment_fte).all()
    days = staff.period.dt.days_in_month
    assert np.allclose(staff.fte_days_available, staff.fte * days, atol=0.01)
    money = totals[totals.pay_bill.notna()]
    assert (money.agency_spend <= money.pay_bill).all()


def test_stable_staff_are_a_stock_of_those_in_post_a_year_earlier(totals):
    frame = totals[totals.headcount.notna()].sort_values(["org_code", "staff_group", "period"])
    a_year_ago = frame.groupby(["org_code", "staff_group"], observed=True).headcount.shift(12)
    first_months = frame.period < pd.Timestamp(LONG["start"]) + pd.DateOffset(months=12)
    assert frame.headcount_stable_12m[first_months].isna().all()
    later = ~first_months
    assert frame.headcount_stable_12m[later].notna().all()
    assert (frame.headcount_stable_12m[later] <= a_year_ago[later]).all()
    assert (frame.headcount_stable_12m[later] <= frame.headcount[later]).all()


def test_annual_measures_only_in_their_month(config, long):
    survey = long[long.measure.isin(SURVEY)]
    assert set(survey.period.dt.month) == {10}
    assert set(survey.period.dt.year) == {2021, 2022, 2023, 2024}   # 2025 results are published in March 2026
    applications = long[long.measure == "applications_clinical_education"]
    assert set(applications.period.dt.month) == {6}
    assert set(applications.org_code.astype(str)) == set(orgs_of_type(config, "ICB"))
    survey_orgs = set(survey.org_code.astype(str))
    assert survey_orgs == set(orgs_of_type(config, *TRUST_TYPES, "ICB"))


def test_survey_counts_are_consistent(totals):
    survey = totals[totals.survey_respondents.notna()]
    assert (survey.survey_respondents <= survey.survey_eligible).all()
    assert (survey.survey_flexible_satisfied <= survey.survey_respondents).all()


def test_deterministic(config, short):
    again = build_demo_frame(config, **SHORT)
    assert list(again.dtypes) == list(short.dtypes)
    assert all(again[column].equals(short[column]) for column in short.columns)
    other = build_demo_frame(config, **SHORT, seed=7)
    assert not short.value.equals(other.value)


# ---------------------------------------------------------------- realistic ranges (domain.md §2)
def test_kpis_land_in_the_reference_ranges(config, totals):
    end = "2025-03-01"
    by_type = {t: [turnover(totals, [o], end) for o in orgs_of_type(config, t)] for t in TRUST_TYPES}
    assert 9 <= np.median(by_type["acute"]) <= 14
    assert 11 <= np.median(by_type["mental health"] + by_type["community"]) <= 17
    assert 8 <= np.median(by_type["ambulance"]) <= 12
    trusts = orgs_of_type(config, *TRUST_TYPES)
    year = totals[(totals.org_code.isin(trusts)) & (totals.period.dt.year == 2024)]
    sickness = year.fte_days_lost.sum() / year.fte_days_available.sum() * 100
    assert 4.2 <= sickness <= 6.5
    march = year[year.period == "2024-03-01"]
    assert 5 <= march.vacancies_fte.sum() / march.establishment_fte.sum() * 100 <= 10
    assert 0.85 <= march.fte.sum() / march.headcount.sum() <= 0.92
    assert 1 <= year.agency_spend.sum() / year.pay_bill.sum() * 100 <= 4
    pay_per_fte = year.pay_bill.sum() / (year.fte.sum() / 12)
    assert 45_000 <= pay_per_fte <= 58_000
    levy = (year.levy_drawn_down.sum() + year.levy_transferred_out.sum()) / year.levy_funds_available.sum() * 100
    assert 40 <= levy <= 90
    stable = march.headcount_stable_12m.sum()
    a_year_earlier = totals[(totals.org_code.isin(trusts)) & (totals.period == "2023-03-01")].headcount.sum()
    assert 84 <= stable / a_year_earlier * 100 <= 92
    survey = totals[(totals.period == "2024-10-01") & totals.survey_respondents.notna()]
    assert 40 <= survey.survey_respondents.sum() / survey.survey_eligible.sum() * 100 <= 55
    assert 6.5 <= survey.survey_engagement_sum.sum() / survey.survey_respondents.sum() <= 7.4


def test_first_year_leavers_local_joiners_and_apprenticeships(config, totals):
    trusts = orgs_of_type(config, *TRUST_TYPES)
    year = totals[(totals.org_code.isin(trusts)) & (totals.period.dt.year == 2024)]
    assert 12 <= year.leavers_under_1yr.sum() / year.joiners.sum() * 100 <= 20
    assert 18 <= year.leavers_under_1yr.sum() / year.leavers.sum() * 100 <= 30
    assert 15 <= year.joiners_local_pipeline.sum() / year.joiners.sum() * 100 <= 35
    headcount = year.groupby("period").headcount.sum().mean()
    assert 1.5 <= year.apprenticeship_starts.sum() / headcount * 100 <= 3


def test_ethnicity_and_sex_shares_are_realistic(config, long):
    march = long[(long.period == "2025-03-01") & (long.measure == "headcount")]
    ethnicity = march[march.breakdown == "ethnicity"].groupby("breakdown_value", observed=True).value.sum()
    assert 0.68 <= ethnicity["White"] / ethnicity.sum() <= 0.82
    sex = march[march.breakdown == "sex"].groupby("breakdown_value", observed=True).value.sum()
    assert 0.72 <= sex["Female"] / sex.sum() <= 0.82


def test_applications_fall_as_nationally(config, totals):
    icbs = orgs_of_type(config, "ICB")
    applications = monthly(totals, icbs, "applications_clinical_education")
    change = applications["2024-06-01"] / applications["2021-06-01"] - 1
    assert -0.35 <= change <= -0.18      # nationally −27% since 2021 (domain.md §1.8)
    per_icb = totals[totals.applications_clinical_education.notna()].applications_clinical_education
    assert 100 <= per_icb.min() and per_icb.max() <= 5_000


def test_seasonality(config, totals):
    by_month = lambda rows, measure: rows.groupby(rows.period.dt.month)[measure].sum()
    nurses = totals[totals.staff_group == "Nurses & health visitors"]
    assert by_month(nurses, "joiners").idxmax() == 9
    doctors = totals[totals.staff_group == "HCHS doctors"]
    assert by_month(doctors, "leavers").idxmax() == 8
    staff = totals[totals.headcount.notna()]
    rate = by_month(staff, "fte_days_lost") / by_month(staff, "fte_days_available") * 100
    assert rate[[12, 1]].mean() - rate[[6, 7]].mean() >= 0.5


# ---------------------------------------------------------------- the planted signals (workforce/demo/signals.py)
def test_flexible_working_cuts_turnover_at_west_herts(config, totals):
    signal = FLEXIBLE_WORKING
    before, after = "2024-03-01", "2025-03-01"
    change = {o: turnover(totals, [o], after) / turnover(totals, [o], before) for o in orgs_of_type(config, "acute")}
    peers = [v for o, v in change.items() if o != signal.org]
    assert change[signal.org] < 0.85
    assert change[signal.org] < np.median(peers) - 0.1
    survey = totals[(totals.org_code == signal.org) & totals.survey_respondents.notna()].set_index("period")
    satisfied = survey.survey_flexible_satisfied / survey.survey_respondents * 100
    assert satisfied["2024-10-01"] - satisfied["2023-10-01"] >= 8


def test_ambulance_sickness_rises_at_secamb(config, totals):
    def rate(org):
        return monthly(totals, [org], "fte_days_lost") / monthly(totals, [org], "fte_days_available") * 100
    ryd = rate(SICKNESS_RISE.org)
    baseline = ryd[ryd.index < "2024-01-01"]
    after = ryd[ryd.index >= "2024-01-01"]
    assert after.mean() - baseline.mean() >= 1.0
    # A sustained shift: every month from the start is above the earlier mean (far more than 6 in a row).
    assert (after > baseline.mean()).sum() >= 18
    for other in set(orgs_of_type(config, "ambulance")) - {SICKNESS_RISE.org}:
        series = rate(other)
        assert abs(series[series.index >= "2024-01-01"].mean() - series[series.index < "2024-01-01"].mean()) < 0.7


def test_levy_pooling_improves_utilisation_in_hertfordshire_and_west_essex(config, totals):
    def levy(orgs, end):
        use = sum(window_sum(monthly(totals, orgs, m), end) for m in ("levy_drawn_down", "levy_transferred_out"))
        funds = window_sum(monthly(totals, orgs, "levy_funds_available"), end)
        out = window_sum(monthly(totals, orgs, "levy_transferred_out"), end)
        expired = window_sum(monthly(totals, orgs, "levy_expired"), end)
        return use / funds * 100, out / funds * 100, expired / funds * 100
    pooled = [o for o in config.ics_members(LEVY_POOLING.ics, dt.date(2023, 10, 1))
              if config.org_by_code[o].type in TRUST_TYPES + ("ICB",)]
    others = [o for o in orgs_of_type(config, *TRUST_TYPES, "ICB") if o not in pooled]
    (use0, out0, exp0), (use1, out1, exp1) = levy(pooled, "2023-09-01"), levy(pooled, "2025-03-01")
    assert use1 - use0 >= 10 and out1 - out0 >= 8 and exp1 < exp0 / 2
    (o_use0, o_out0, _), (o_use1, o_out1, _) = levy(others, "2023-09-01"), levy(others, "2025-03-01")
    assert (use1 - use0) - (o_use1 - o_use0) >= 8
    assert o_out1 - o_out0 < 2


def test_bme_white_leaver_gap_widens_at_princess_alexandra(config, long):
    def ratio(org, year):
        rows = long[(long.org_code == org) & (long.breakdown == "ethnicity") & (long.period.dt.year == year)]
        table = rows.pivot_table(index="period", columns=["measure", "breakdown_value"], values="value",
                                 aggfunc="sum", observed=True)
        white = table[("leavers", "White")].sum() / table[("headcount", "White")].mean()
        bme = sum(table[("leavers", v)].sum() for v in BME) / sum(table[("headcount", v)] for v in BME).mean()
        return bme / white
    signal = ETHNICITY_LEAVER_GAP
    assert ratio(signal.org, 2025) - ratio(signal.org, 2023) >= 0.25
    assert ratio(signal.org, 2025) >= 1.35
    others = [ratio(o, 2025) - ratio(o, 2023) for o in orgs_of_type(config, "acute") if o != signal.org]
    assert np.median(others) < 0.15


def test_international_recruitment_fills_nursing_vacancies(config, totals):
    signal = INTERNATIONAL_RECRUITMENT

    def fall(org):
        rows = totals[(totals.org_code == org) & (totals.staff_group == signal.staff_group)].set_index("period")
        vacancy = rows.vacancies_fte / rows.establishment_fte * 100
        return vacancy["2022-01-01":"2022-09-01"].mean() - vacancy["2023-04-01":"2023-12-01"].mean()

    peers = [fall(o) for o in orgs_of_type(config, "acute") if o != signal.org]
    assert fall(signal.org) - np.median(peers) >= 3
    nurses = totals[(totals.org_code == signal.org) & (totals.staff_group == signal.staff_group)].set_index("period")
    first_cohort = pd.Timestamp(signal.cohorts[0][0] + "-01")
    assert nurses.joiners[first_cohort] >= signal.cohorts[0][1]


# ---------------------------------------------------------------- loading, national scale, command line
def test_build_loads_into_duckdb_flagged_synthetic(config, tmp_path):
    db = tmp_path / "demo.duckdb"
    build = build_demo(config, db, start=dt.date(2025, 4, 1), end=dt.date(2025, 6, 1))
    con = duckdb.connect(str(db), read_only=True)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        rows = con.execute("SELECT count(*) FROM fact").fetchone()[0]
    finally:
        con.close()
    assert meta["synthetic"] == "true"
    assert meta["demo_scale"] == "ics" and meta["demo_end"] == "2025-06"
    assert rows == build.rows > 0
    assert build.config_path is None


def test_national_config_adds_synthetic_icss(config, tmp_path):
    path = write_national_config(config, tmp_path / "national.duckdb")
    assert path == tmp_path / "national.config.yaml"
    national = load_config(path)
    assert national.db_path == tmp_path / "national.duckdb"
    assert national.store_path.parent == tmp_path and national.store_path.suffix == config.store_path.suffix
    assert len(national.icss_at(dt.date(2025, 1, 1))) == 42
    trusts = [o for o in national.organisations if o.type in TRUST_TYPES]
    assert 200 <= len(trusts) <= 240
    synthetic = {o.code for o in national.organisations} - {o.code for o in config.organisations}
    assert synthetic and all(code.startswith("Z") for code in synthetic)
    frame = build_demo_frame(national, start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 1))
    assert set(frame.org_code.astype(str)) == {o.code for o in national.organisations}


def test_command_line(config, tmp_path):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--scale", "national", "--end", "2025-06", "--seed", "3"])
    assert (args.scale, args.end, args.seed) == ("national", dt.date(2025, 6, 1), 3)
    with pytest.raises(SystemExit):
        parser.parse_args(["--end", "June"])
    out = io.StringIO()
    future = parser.parse_args(["--end", "2999-01"])
    assert run(future, config, tmp_path / "demo.duckdb", out) == 1
    assert "last complete month" in out.getvalue()
    assert not (tmp_path / "demo.duckdb").exists()


def test_demo_register_is_seeded_once_and_never_over_a_used_store(tmp_path, config):
    from workforce.demo.register import seed_register
    from workforce.store.records import Store

    path = tmp_path / "store.sqlite"
    assert seed_register(path, config)
    register = Store(path).interventions()
    levy = next(i for i in register if i.label == "ICS-wide levy pooling")
    assert levy.change_point and levy.ics == "QM7" and str(levy.date) == "2023-10-01"
    assert {i.label for i in register} >= {"Flexible working programme launched",
                                           "International nurse recruitment cohorts"}
    assert not seed_register(path, config)  # exists now: left alone
    assert len(Store(path).interventions()) == len(register)
