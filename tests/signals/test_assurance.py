"""Assurance a board can act on (issue 18): the 12-month question, seasonality, shifts that stay
flagged, short histories, the chance of meeting the target and of false alarms at board level.

Fixtures are simulated trusts in the publications' additive shape (tests/signal_fixtures.py),
loaded through the public loader and read through the KPI path (`kpi_frame`, `summarise`) and the
`kpis --format json` command. Every expected figure is known independently: worked by hand, or a
simulation whose true answer is "nothing changed" (any signal is a false alarm) or "it changed".
"""

from __future__ import annotations

import datetime as dt
import io
import json

import numpy as np
import pandas as pd
import pytest

from tests.signal_fixtures import ALL, NURSES, Trust, copy_of, frame_of, load_trusts, month
from workforce.cli.main import main
from workforce.measures.figure import latest_value
from workforce.measures.kpi import kpi_frame
from workforce.views.summary import summarise


def kpis_json(path, *args) -> dict[str, dict]:
    out = io.StringIO()
    assert main(["kpis", "--db", str(path), "--format", "json", "--store", str(path.with_suffix(".none")),
                 *args], out=out) == 0
    return {r["kpi"]: r for r in json.loads(out.getvalue())}


def as_at(config, kpi_id: str, history: pd.DataFrame, org: str, upto: dt.date):
    """The KPI's summary row as a board saw it in month `upto` (data up to then only)."""
    kpi = config.kpi_by_id[kpi_id]
    part = history[history["period"] <= upto].reset_index(drop=True)
    return summarise(config, kpi, latest_value(kpi, part, [org], None), [org], outlook=False)


def by_org(db, config, kpi_id: str, codes: list[str]) -> dict[str, pd.DataFrame]:
    frame = kpi_frame(db, config, [config.kpi_by_id[kpi_id]], codes, group_by="org")
    return {code: part.reset_index(drop=True) for code, part in frame.groupby("grp")}


# ---------------------------------------------------------------- 1. the 12-month question, by hand
@pytest.fixture(scope="module")
def alternating(tmp_path_factory, config):
    """One trust for 30 months: 100 joiners a month, of whom 20 then 24 (alternately) leave within a
    year, so the monthly first-year leaver rate alternates 20%, 24% and every 12-month figure is
    (6 × 20 + 6 × 24) / 1,200 = 22.0%, against a 15% target."""
    rows = []
    for i in range(30):
        period = month(i)
        for measure, value in {"headcount": 5000, "joiners": 100, "leavers": 100,
                               "leavers_under_1yr": 20 if i % 2 == 0 else 24}.items():
            rows.append((period, "ALT", NURSES, "", "", measure, float(value)))
    trust = Trust("ALT")
    from workforce.base.config import Organisation
    from workforce.ingest.loader import load_frame

    sim = copy_of(config, organisations=list(config.organisations) + [
        Organisation(code=trust.code, name="Alternating trust", type="acute", membership=[("QKS", month(0))])])
    path = tmp_path_factory.mktemp("alternating") / "alt.duckdb"
    load_frame(frame_of(rows), sim, db_path=path, name="alt.csv", fresh=True)
    return sim, path


def test_a_12_month_target_is_judged_on_the_limits_of_the_12_month_figure_by_hand(alternating, monkeypatch):
    """Monthly values 20, 24, 20, …: mean 22, every moving range 4, σ = 4 / 1.128 = 3.546.
    Monthly limits 22 ± 2.66 × 4 = 11.36 to 32.64 hold the 15% target (hit and miss), but the
    12-month figure of this process moves within 22 ± 3σ/√12 = 22 ± 3.071 = 18.93 to 25.07, so 15%
    can never be met: consistently failing."""
    sim, path = alternating
    monkeypatch.setattr("workforce.cli.options.load_config", lambda *a: sim)
    record = kpis_json(path, "--org", "ALT")["first_year_leaver_rate"]
    assert record["value"] == pytest.approx(22.0)
    assert record["assurance_icon"] == "consistent_fail"
    from workforce.protect.figures import latest_values
    from workforce.base.db import Database
    from workforce.measures.selection import Selection

    _, values = latest_values(Database(path), sim, Selection(ics="QKS", orgs=("ALT",)))
    row = summarise(sim, sim.kpi_by_id["first_year_leaver_rate"],
                    next(v for v in values if v.kpi == "first_year_leaver_rate"), ["ALT"])
    band = row.signals.band
    half = 3 * 4 / 1.128 / np.sqrt(12)
    assert (band.lower, band.upper, band.months) == (pytest.approx(22 - half), pytest.approx(22 + half), 12)
    assert (round(band.lower, 2), round(band.upper, 2)) == (18.93, 25.07)
    limits = row.spc.latest_limits
    assert (limits.lpl, limits.upl) == (pytest.approx(22 - 2.66 * 4), pytest.approx(22 + 2.66 * 4))
    assert "moves between 18.9% and 25.1%" in row.reading and "consistently failing" in row.reading


# ---------------------------------------------------------------- 2. seasonality
@pytest.fixture(scope="module")
def seasonal(tmp_path_factory, config):
    """40 trusts whose sickness peaks each January (±0.6 points around 5%) and never changes."""
    trusts = [Trust(f"W{i:03d}", winter=0.006) for i in range(40)]
    sim, db = load_trusts(config, trusts, tmp_path_factory.mktemp("seasonal") / "s.duckdb", 60, seed=11)
    return sim, db, [t.code for t in trusts]


def sickness_readings(config, db, codes, months=range(36, 60)):
    histories = by_org(db, config, "sickness_absence_rate", codes)
    return [[as_at(config, "sickness_absence_rate", histories[c], c, month(m)).spc.point_type[-1] for m in months]
            for c in codes]


@pytest.mark.slow  # a simulation of many trusts through the loader
def test_seasonal_limits_keep_winter_and_summer_from_reading_as_signals(seasonal):
    """At most 10% of trust-months special cause (the issue measured 37–39% without), and the icon
    rarely flips from month to month."""
    sim, db, codes = seasonal
    kinds = np.array(sickness_readings(sim, db, codes))
    special = kinds != "common_cause"
    assert special.mean() <= 0.10, special.mean()
    flips = (kinds[:, 1:] != kinds[:, :-1]).mean()
    assert flips <= 0.15, flips


@pytest.mark.slow  # a simulation of many trusts through the loader
def test_without_seasonal_limits_the_same_trusts_light_up(seasonal):
    """The check can fail: the same trusts without `seasonal` read winter as concern and summer as
    improvement in far more months."""
    sim, db, codes = seasonal
    plain = copy_of(sim, kpis=[k.model_copy(update={"seasonal": False}) for k in sim.kpis])
    special = np.array(sickness_readings(plain, db, codes[:15])) != "common_cause"
    assert special.mean() > 0.25, special.mean()


@pytest.mark.slow  # a simulation of many trusts through the loader
def test_the_reading_says_the_limits_are_seasonal(seasonal):
    sim, db, codes = seasonal
    row = as_at(sim, "sickness_absence_rate", by_org(db, sim, "sickness_absence_rate", codes[:1])[codes[0]],
                codes[0], month(59))
    assert row.signals.seasonal and "move with the month" in row.reading
    upl = row.spc.upl
    assert np.nanmax(upl) - np.nanmin(upl) > 0.8  # the limits move with the season (±0.6 points)


# ---------------------------------------------------------------- 3. a sustained shift stays flagged
@pytest.fixture(scope="module")
def shifted(tmp_path_factory, config):
    """20 trusts of 15,000 staff whose turnover rises 2 points (monthly leaving 0.95% → 1.12%) in
    month 36 and stays there, with no change point registered."""
    step = np.r_[np.full(36, 0.0095), np.full(30, 0.0095 + 0.02 / 12)]
    trusts = [Trust(f"H{i:03d}", headcount=15000, leave=step) for i in range(20)]
    sim, db = load_trusts(config, trusts, tmp_path_factory.mktemp("shift") / "h.duckdb", 66, seed=12)
    return sim, db, [t.code for t in trusts]


@pytest.mark.slow  # a simulation of many trusts through the loader
def test_a_real_shift_stays_flagged_until_a_change_point_is_registered(shifted):
    """Two years on (months 25–30 after the shift) the limits, held from the baseline, still flag it
    in at least 80% of trust-months (the issue measured 9% with limits re-estimated over 36 months),
    the assurance is withheld and the change point offered near month 36."""
    sim, db, codes = shifted
    histories = by_org(db, sim, "turnover_rate_12m", codes)
    rows = [as_at(sim, "turnover_rate_12m", histories[c], c, month(35 + after)) for c in codes for after in range(25, 31)]
    flagged = np.mean([r.spc.point_type[-1] == "special_cause_concern" for r in rows])
    assert flagged >= 0.8, flagged
    assert np.mean([r.assurance_icon is None and "withheld" in r.assurance_note for r in rows]) >= 0.8
    starts = [r.shift_start for r in rows if r.shift_start]
    assert np.median([(s.year - 2021) * 12 + s.month - 4 for s in starts]) == pytest.approx(36, abs=2)


@pytest.mark.slow  # a simulation of many trusts through the loader
def test_registering_the_change_point_recalculates_from_it(shifted):
    sim, db, codes = shifted
    history = by_org(db, sim, "turnover_rate_12m", codes[:1])[codes[0]]
    kpi = sim.kpi_by_id["turnover_rate_12m"]
    row = summarise(sim, kpi, latest_value(kpi, history, [codes[0]], None), [codes[0]], (month(36),), outlook=False)
    assert len(row.spc.groups) == 2 and row.spc.groups[-1].limits.mean == pytest.approx(
        np.mean(history.set_index("period").loc[month(36):month(55), "spc_value"]))


# ---------------------------------------------------------------- 4. trends
@pytest.fixture(scope="module")
def trending(tmp_path_factory, config):
    """20 trusts whose turnover falls steadily by 1 point a year from month 30."""
    path = np.r_[np.full(30, 0.0095), 0.0095 - np.arange(1, 31) * (0.01 / 12) / 12]
    trusts = [Trust(f"T{i:03d}", leave=path) for i in range(20)]
    sim, db = load_trusts(config, trusts, tmp_path_factory.mktemp("trend") / "t.duckdb", 60, seed=13)
    return sim, db, [t.code for t in trusts]


@pytest.mark.slow  # a simulation of many trusts through the loader
def test_a_steady_improvement_is_found_and_stays_found(trending):
    sim, db, codes = trending
    histories = by_org(db, sim, "turnover_rate_12m", codes)
    found = [np.mean([as_at(sim, "turnover_rate_12m", histories[c], c, month(29 + after)).spc.point_type[-1]
                      == "special_cause_improvement" for c in codes]) for after in (24, 30)]
    assert min(found) >= 0.5, found


# ---------------------------------------------------------------- 5. a 20-month history
@pytest.fixture(scope="module")
def short_history(tmp_path_factory, config):
    trusts = [Trust("N001", headcount=8000)]
    sim, db = load_trusts(config, trusts, tmp_path_factory.mktemp("short") / "n.duckdb", 20, seed=14)
    return sim, db


def test_20_months_give_spc_on_the_monthly_series_of_12_month_kpis(short_history, monkeypatch):
    """20 months: eight 12-month figures, but 19 monthly values (each month needs only the month
    before's stock), so turnover and first-year leavers have limits and icons from the 13th."""
    sim, db = short_history
    monkeypatch.setattr("workforce.cli.options.load_config", lambda *a: sim)
    records = kpis_json(db.path, "--org", "N001")
    history = by_org(db, sim, "turnover_rate_12m", ["N001"])["N001"]
    assert history["value"].notna().sum() == 8 and history["spc_value"].notna().sum() == 19
    for kpi in ("turnover_rate_12m", "first_year_leaver_rate", "vacancy_rate"):
        assert records[kpi]["variation_icon"] is not None, kpi
    stability = records["stability_index"]
    assert stability["variation_icon"] is None and "12-month cohort" in stability["no_variation_icon"]
    sickness = records["sickness_absence_rate"]
    assert sickness["variation_icon"] is not None  # ordinary limits until 24 months allow seasonal ones


def test_20_months_of_sickness_says_the_limits_are_not_yet_seasonal(short_history):
    sim, db = short_history
    row = as_at(sim, "sickness_absence_rate", by_org(db, sim, "sickness_absence_rate", ["N001"])["N001"], "N001",
                month(19))
    assert row.signals.season_missing and "not yet seasonal" in row.reading


# ---------------------------------------------------------------- 6. on_course and the board's chance
def test_chance_of_meeting_a_target_by_hand():
    """Forecast 10.0%, scale 1 point, t with 1,000 degrees of freedom (≈ normal), lower is better:
    9.5% is met by any figure shown as 9.5% or less, i.e. below 9.55%: Φ(−0.45) = 0.3264."""
    from workforce.signals.outlook import chance_of_meeting

    assert chance_of_meeting(10.0, 1.0, 1000, 9.5, "decrease", "percent1") == pytest.approx(0.3264, abs=2e-4)
    # higher is better: met by anything shown as 9.5% or more, i.e. from 9.45%: 1 − Φ(−0.55) = 0.7088
    assert chance_of_meeting(10.0, 1.0, 1000, 9.5, "increase", "percent1") == pytest.approx(0.7088, abs=2e-4)


@pytest.mark.slow  # a simulation of many trusts through the loader
def test_on_course_in_the_kpis_json(shifted, monkeypatch):
    sim, db, codes = shifted
    monkeypatch.setattr("workforce.cli.options.load_config", lambda *a: sim)
    records = kpis_json(db.path, "--org", codes[0])
    turnover = records["turnover_rate_12m"]
    assert set(turnover["on_course"]) == {"period", "probability"}
    assert turnover["on_course"]["period"] == "2027-03" or turnover["on_course"]["period"].endswith("-03")
    assert 0 <= turnover["on_course"]["probability"] <= 1
    # withheld assurance still gives on_course, and a KPI without a target gives null
    assert turnover["assurance_icon"] is None and turnover["on_course"] is not None
    assert records["local_pipeline_joiners_pct"]["on_course"] is None


def test_board_chance_by_hand_and_by_simulation(config):
    """9 charts each flagged 4% of the time: 1 − 0.96⁹ = 30.7% of months with at least one, 4.3 a
    year. The engine's false-alarm rate on stable normal series, with limits held from 20 values,
    lies near the rules' theory (≈ 3.1% for 6 on one side + 0.3% beyond a limit + trends and 2 of 3,
    plus the baseline's own error)."""
    from workforce.signals.outlook import board_chance, false_alarm_rate
    from workforce.signals.spc import profile_from

    chance = board_chance(9, 0.04)
    assert chance.any_in_month == pytest.approx(1 - 0.96 ** 9) and chance.per_year == pytest.approx(4.32)
    rate = false_alarm_rate(profile_from("mdc"), 20)
    assert 0.03 <= rate <= 0.08


def test_attention_ranks_a_lasting_signal_before_one_months_icon(config):
    """Turnover 8 months above its limits (a lasting shift) and first-year leavers with one month
    far above them: both are special-cause concern now, but the lasting one comes first."""
    from workforce.views.summary_view import needs_attention, persistence

    periods = [month(i) for i in range(48)]

    def row(kpi_id, values):
        kpi = config.kpi_by_id[kpi_id]
        history = pd.DataFrame({"period": periods, "value": values, "spc_value": values, "numerator": values,
                                "denominator": 100.0})
        return summarise(config, kpi, latest_value(kpi, history, None, None), None, outlook=False)

    lasting = row("turnover_rate_12m", [10.0, 10.4] * 20 + [13.0] * 8)
    single = row("first_year_leaver_rate", [14.0, 14.4] * 23 + [14.2, 30.0])
    # the shift rule flags the whole run above the baseline mean 10.2: the last 10.4 and the eight 13.0s
    assert (persistence(lasting), persistence(single)) == (9, 1)
    assert [a.kpi_id for a in needs_attention([single, lasting])] == ["turnover_rate_12m", "first_year_leaver_rate"]
    assert "in a row" in needs_attention([lasting])[0].reason and "this month only" in needs_attention([single])[0].reason
