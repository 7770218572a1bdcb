"""Signals a board can trust (issue 10): SPC on the right series, complete ICS figures.

Every expected answer is known independently: trusts simulated with a process that never changes
(so any special cause is a false alarm), and figures for a late or new trust worked out here from
the simulated components, not by the code under test.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from workforce.cli.main import main
from workforce.views.compare import organisation_kpis
from workforce.base.config import Organisation
from workforce.base.db import Database
from workforce.protect.figures import latest_values
from workforce.ingest.loader import load_frame
from workforce.measures.selection import Selection

ALL = "All staff groups"
NURSES = "Nurses & health visitors"
N_TRUSTS = 200
START = dt.date(2021, 4, 1)
N_MONTHS = 54   # Apr 2021 – Sep 2025: a full 36-month SPC window after the first 12-month figure


def month(i: int, start: dt.date = START) -> dt.date:
    return dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)


def stable_trust(code: str, rng: np.random.Generator, n_months: int = N_MONTHS, start: dt.date = START,
                 headcount: int = 5000) -> list[tuple]:
    """One trust whose process never changes: 0.95% of staff leave each month (as many join on
    average), 20% of leavers have under a year's service, 5% sickness, 7% vacancies. Headcount
    moves only through joiners and leavers; the stable-12-month stock is those in post 12 months
    earlier who have not left since (leavers are drawn from the whole headcount)."""
    rows, heads, leavers_by_month = [], [], []
    h = headcount
    for i in range(n_months):
        period = month(i, start)
        leavers = int(rng.binomial(h, 0.0095))
        joiners = int(rng.poisson(h * 0.0095))
        h = h + joiners - leavers
        heads.append(h)
        leavers_by_month.append(leavers)
        fte = h * 0.9
        days_available = round(fte * 30)
        establishment = round(fte / 0.93)
        values = {"headcount": h, "leavers": leavers, "joiners": joiners,
                  "leavers_under_1yr": int(rng.binomial(leavers, 0.2)),
                  "fte_days_available": days_available,
                  "fte_days_lost": int(rng.binomial(days_available, 0.05)),
                  "establishment_fte": establishment,
                  "vacancies_fte": int(rng.binomial(establishment, 0.07))}
        if i >= 12:  # survivors of the cohort in post 12 months ago
            stay = (1 - 0.0095) ** 12
            values["headcount_stable_12m"] = int(rng.binomial(heads[i - 12], stay))
        for measure, value in values.items():
            rows.append((period, code, NURSES, "", "", measure, float(value)))
    return rows


def copy_of(config, **update):
    """A config with fields replaced, without the look-ups (org_by_code…) cached on the original."""
    copy = config.model_copy(update=update)
    for name in ("kpi_by_id", "measure_by_id", "org_by_code", "ics_by_code"):
        copy.__dict__.pop(name, None)
    return copy


def frame_of(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["period", "org_code", "staff_group", "breakdown", "breakdown_value",
                                        "measure", "value"])
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


# ---------------------------------------------------------------- (a) stable trusts: few false alarms
@pytest.fixture(scope="module")
def stable(tmp_path_factory, config):
    trusts = [Organisation(code=f"S{i:03d}", name=f"Simulated trust {i}", type="acute",
                           membership=[("QKS", START)]) for i in range(N_TRUSTS)]
    sim_config = copy_of(config, organisations=list(config.organisations) + trusts)
    rng = np.random.default_rng(20240401)
    rows = [r for t in trusts for r in stable_trust(t.code, rng)]
    path = tmp_path_factory.mktemp("stable") / "stable.duckdb"
    load_frame(frame_of(rows), sim_config, db_path=path, name="stable.csv", fresh=True)
    return sim_config, Database(path), [t.code for t in trusts]


def trusts_view(db, sim_config, codes):
    """The Compare view of the simulated trusts (an administrator's: every organisation) at the last month."""
    from workforce.protect.scope import resolve

    return resolve(db, sim_config, Selection(ics="QKS", orgs=tuple(codes), period=month(N_MONTHS - 1)))


def special_share(table: pd.DataFrame, kpi: str) -> float:
    icons = table.loc[table["kpi"] == kpi, "variation_icon"]
    assert len(icons) == N_TRUSTS
    return float((icons != "common_cause").mean())


KPIS = {"turnover_rate_12m": "rolling", "first_year_leaver_rate": "rolling",
        "sickness_absence_rate": "monthly", "vacancy_rate": "monthly"}


@pytest.mark.slow
def test_stable_trusts_rarely_show_a_special_cause(stable):
    """MDC rules on a process that never changes: the latest point is special cause in at most 10%
    of series, for 12-month (rolling) KPIs and monthly KPIs alike."""
    sim_config, db, codes = stable
    table = organisation_kpis(db, sim_config, trusts_view(db, sim_config, codes))
    shares = {kpi: special_share(table, kpi) for kpi in KPIS}
    assert all(share <= 0.10 for share in shares.values()), shares


@pytest.mark.slow
def test_the_same_simulation_on_the_rolling_series_fails(stable):
    """The check can fail: run SPC on the 12-month rolling figure (whose points overlap) and the
    same stable trusts light up (the issue measured 68%)."""
    sim_config, db, codes = stable
    rolling = [k.model_copy(update={"spc_series": "rolling_12m"}) if k.id == "turnover_rate_12m" else k
               for k in sim_config.kpis]
    rolling_config = copy_of(sim_config, kpis=rolling)
    table = organisation_kpis(db, rolling_config, trusts_view(db, rolling_config, codes))
    assert special_share(table, "turnover_rate_12m") > 0.3


def test_one_trust_through_the_kpis_command_matches_compare(stable, tmp_path):
    """The kpis command (screen and pack share its builder) gives a trust the same icon as the
    comparison table, and says it runs SPC on the monthly series."""
    sim_config, db, codes = stable
    table = organisation_kpis(db, sim_config, trusts_view(db, sim_config, codes[:3])).set_index(["org_code", "kpi"])
    for code in codes[:3]:
        _, values = latest_values(db, sim_config, Selection(ics="QKS", orgs=(code,)))
        from workforce.views.summary import summarise
        for value in values:
            if value.kpi in KPIS:
                row = summarise(sim_config, sim_config.kpi_by_id[value.kpi], value, [code])
                assert row.variation_icon == table.loc[(code, value.kpi), "variation_icon"]
                assert row.spc_basis == "monthly"


# ---------------------------------------------------------------- (b) a late trust, a new trust
QF7_TRUSTS = ["RFF", "RP5", "RFR", "RHQ", "RCU", "TAH", "RXE", "RX8"]


@pytest.fixture(scope="module")
def late(tmp_path_factory, config):
    """South Yorkshire's eight trusts, 30 months; the largest (RHQ) has not sent the latest month.
    Also an ICB (never reports turnover: not expected), and a GP aggregate (another org type)."""
    rng = np.random.default_rng(7)
    sizes = {code: 3000 + 1000 * i for i, code in enumerate(QF7_TRUSTS)}
    sizes["RHQ"] = 15000
    rows = [r for code, size in sizes.items() for r in stable_trust(code, rng, 30, headcount=size)]
    rows += [r for r in stable_trust("QF7PC", rng, 30, headcount=6000)]
    last = month(29)
    rows = [r for r in rows if not (r[1] == "RHQ" and r[0] == last)]  # RHQ is late
    frame = frame_of(rows)
    path = tmp_path_factory.mktemp("late") / "late.duckdb"
    load_frame(frame, config, db_path=path, name="late.csv", fresh=True)
    return Database(path), path, frame


def by_hand(frame: pd.DataFrame, orgs: list[str], period: dt.date) -> dict[str, float]:
    """Turnover and stability from the simulated components, for these organisations."""
    f = frame[frame["org_code"].isin(orgs)]
    key = pd.Timestamp(period)
    start = pd.Timestamp(month(-12, period))
    window = [pd.Timestamp(month(-k, period)) for k in range(12)]
    pick = lambda measure, months: f[(f["measure"] == measure) & f["period"].isin(months)]["value"].sum()  # noqa: E731
    leavers = pick("leavers", window)
    mean_head = (pick("headcount", [start]) + pick("headcount", [key])) / 2
    return {"turnover": leavers / mean_head * 100,
            "stability": pick("headcount_stable_12m", [key]) / pick("headcount", [start]) * 100}


def test_a_late_trust_holds_the_default_month_back(late, config):
    db, _, frame = late
    month_shown, values = latest_values(db, config, Selection(ics="QF7"))
    assert month_shown == month(28)  # the latest month every trust reported
    turnover = next(v for v in values if v.kpi == "turnover_rate_12m")
    assert turnover.complete and (turnover.orgs_reporting, turnover.orgs_expected) == (8, 8)
    # NHS Digital's method: NHS trusts only — the GP aggregate is not added in
    assert turnover.value == pytest.approx(by_hand(frame, QF7_TRUSTS, month(28))["turnover"])


def test_the_latest_month_asked_for_is_flagged_and_adds_up_complete_trusts_only(late, config):
    db, _, frame = late
    _, values = latest_values(db, config, Selection(ics="QF7", period=month(29)))
    turnover = next(v for v in values if v.kpi == "turnover_rate_12m")
    stability = next(v for v in values if v.kpi == "stability_index")
    reported = [c for c in QF7_TRUSTS if c != "RHQ"]
    for value in (turnover, stability):
        assert value.period == month(29)
        assert not value.complete and (value.orgs_reporting, value.orgs_expected) == (7, 8)
        assert value.coverage_text == "7 of 8 organisations reported"
    expected = by_hand(frame, reported, month(29))
    assert turnover.value == pytest.approx(expected["turnover"])
    assert stability.value == pytest.approx(expected["stability"])
    assert 0 <= stability.value <= 100


def test_coverage_in_the_kpis_json(late):
    _, path, _ = late
    out = __import__("io").StringIO()
    assert main(["kpis", "--db", str(path), "--ics", "QF7", "--period", month(29).strftime("%Y-%m"),
                 "--format", "json", "--store", str(path.with_suffix(".none"))], out=out) == 0
    records = {r["kpi"]: r for r in json.loads(out.getvalue())}
    turnover = records["turnover_rate_12m"]
    assert (turnover["complete"], turnover["orgs_reporting"], turnover["orgs_expected"]) == (False, 7, 8)
    assert turnover["spc_basis"] == "monthly" and records["stability_index"]["spc_basis"] == "annual"
    assert turnover["variation_icon"] in ("common_cause", "improvement_low", "improvement_high",
                                          "concern_low", "concern_high")
    forecast = turnover["forecast"]
    assert forecast is None or set(forecast) == {"period", "value", "lower", "upper"}


def test_a_trust_that_starts_mid_window_never_lifts_stability_over_100(tmp_path, config):
    """A trust whose data start 6 months before the reporting month has staff in post now but no
    headcount 12 months ago: adding its stable stock to the others' start headcount gave 108%."""
    rng = np.random.default_rng(11)
    rows = [r for code in QF7_TRUSTS[:4] for r in stable_trust(code, rng, 30, headcount=4000)]
    late_start = month(24)
    rows += [r for r in stable_trust("RX8", rng, 6, start=late_start, headcount=20000)]
    frame = frame_of(rows)
    # the newcomer's stable stock is all its staff (a transfer-in): the worst case for the old sum
    extra = frame[(frame["org_code"] == "RX8") & (frame["measure"] == "headcount")].assign(measure="headcount_stable_12m")
    frame = pd.concat([frame, extra], ignore_index=True)
    path = tmp_path / "new.duckdb"
    load_frame(frame, config, db_path=path, name="new.csv", fresh=True)
    _, values = latest_values(Database(path), config, Selection(ics="QF7", period=month(29)))
    stability = next(v for v in values if v.kpi == "stability_index")
    assert stability.value == pytest.approx(by_hand(frame, QF7_TRUSTS[:4], month(29))["stability"])
    assert 0 <= stability.value <= 100
    assert (stability.orgs_reporting, stability.orgs_expected) == (4, 5)


# ---------------------------------------------------------------- (c) the demo's planted signals
@pytest.fixture(scope="module")
def demo(tmp_path_factory, config):
    from workforce.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(config, path, end=dt.date(2026, 10, 1))
    return Database(path)


@pytest.fixture(scope="module")
def demo_path(demo):
    return demo.path


def signals_for(db, config, selection: Selection, kpi_id: str, rebase: tuple = ()):
    from workforce.views.summary import summarise

    _, values = latest_values(db, config, selection)
    value = next(v for v in values if v.kpi == kpi_id)
    return summarise(config, config.kpi_by_id[kpi_id], value, list(selection.orgs) or None, rebase)


@pytest.mark.parametrize("selection, kpi_id, icon", [
    # 1. RWG's leavers step down in April 2024: improvement on its monthly turnover a year on
    (Selection(ics="QM7", orgs=("RWG",), period=dt.date(2025, 3, 1)), "turnover_rate_12m", "improvement_low"),
    # 2. RYD's sickness shifts up in January 2024 and keeps rising: concern by December 2024
    (Selection(ics="QNX", orgs=("RYD",), period=dt.date(2024, 12, 1)), "sickness_absence_rate", "concern_high"),
    # 3. Hertfordshire and West Essex pool their levy from October 2023: improvement by September 2024
    (Selection(ics="QM7", period=dt.date(2024, 9, 1)), "levy_utilisation", "improvement_high"),
    (Selection(ics="QM7", period=dt.date(2024, 9, 1)), "levy_expired", "improvement_low"),
    # 5. RWH's international nurses (Oct 2022 – Feb 2023) bring its vacancies down by September 2023
    (Selection(ics="QM7", orgs=("RWH",), period=dt.date(2023, 9, 1)), "vacancy_rate", "improvement_low"),
])
def test_the_demo_signals_are_still_found_on_the_monthly_series(demo, config, selection, kpi_id, icon):
    row = signals_for(demo, config, selection, kpi_id)
    assert row.spc_basis == "monthly"
    assert row.variation_icon == icon


def test_a_shift_withholds_assurance_until_a_change_point_is_registered(demo, config, tmp_path):
    """RWG's step down leaves its old limits behind: the assurance is withheld with the reason and
    a change point is offered; registered (one click), the limits are recalculated and it returns."""
    from workforce.store.records import Store, add_change_point, annotations

    selection = Selection(ics="QM7", orgs=("RWG",), period=dt.date(2025, 3, 1))
    before = signals_for(demo, config, selection, "turnover_rate_12m")
    assert before.assurance_icon is None and before.shift_start is not None
    assert "Assurance withheld" in before.assurance_note and "Assurance withheld" in before.reading
    store = Store(tmp_path / "store.sqlite")
    add_change_point(store, who="Test editor", kpi=config.kpi_by_id["turnover_rate_12m"], selection=selection,
                     date=before.shift_start)
    rebase = annotations(store, config, ["RWG"])["turnover_rate_12m"].rebase_dates
    assert rebase == (before.shift_start,)
    after = signals_for(demo, config, selection, "turnover_rate_12m", rebase)
    assert after.shift_start is None and after.assurance_note == ""
    assert after.assurance_icon is not None
    assert len(after.spc.groups) == 2


# ---------------------------------------------------------------- (d) screen, CLI and pack agree
def test_screen_cli_and_pack_agree(demo, demo_path, config, monkeypatch, tmp_path):
    """South Yorkshire on the demo: the summary page, `kpis --format json` and the board pack show
    the same figure, period, icons (on the SPC series) and coverage for every KPI."""
    import io

    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    from workforce.views.board import build_board
    from workforce.store.records import Store
    from workforce.meetings.pack import build_pack
    from workforce.signals.spc.icons import assurance_text, variation_text

    store = tmp_path / "store.sqlite"  # an empty register for all three
    out = io.StringIO()
    assert main(["kpis", "--db", str(demo_path), "--ics", "QF7", "--format", "json", "--store", str(store)],
                out=out) == 0
    cli_rows = {r["label"]: r for r in json.loads(out.getvalue())}

    board = build_board(demo, config, Selection(ics="QF7"), Store(store))
    pack = build_pack(board)
    assert pack.board is board
    for item in board.items:
        record = cli_rows[item.kpi.label]
        assert (item.summary.variation_icon, item.summary.assurance_icon) == \
            (record["variation_icon"], record["assurance_icon"])
        assert item.summary.latest.value_text == __import__("workforce.base.formatting").base.formatting.format_value(
            record["value"], record["format"])
        assert item.view.reading == item.summary.reading  # the pack page prints the view's reading
        assert (item.summary.latest.orgs_reporting, item.summary.latest.orgs_expected) == \
            (record["orgs_reporting"], record["orgs_expected"])

    monkeypatch.setenv("WORKFORCE_DB", str(demo_path))
    monkeypatch.setenv("WORKFORCE_STORE", str(store))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["ics"] = "QF7"
    at.run()
    icons, values = {}, {}
    for frame in at.dataframe:
        table = frame.value
        if {"KPI", "Variation (text)", "Assurance (text)"} <= set(table.columns):
            icons.update({r["KPI"]: (r["Variation (text)"], r["Assurance (text)"]) for _, r in table.iterrows()})
        if {"KPI", "Value"} <= set(table.columns):
            values.update(dict(zip(table["KPI"], table["Value"])))
    assert set(icons) == set(values) == set(cli_rows)
    readings = " ".join(m.value for m in at.markdown)
    from workforce.base.formatting import format_value
    for label, record in cli_rows.items():
        assert icons[label] == (record["variation_words"], record["assurance_words"])
        assert record["variation_words"] == (record["no_variation_icon"] or variation_text(record["variation_icon"]))
        assert record["assurance_words"].startswith(record["no_assurance_icon"] or assurance_text(record["assurance_icon"]))
        assert values[label] == format_value(record["value"], record["format"])
        if record["assurance_note"]:  # a withheld icon says why, on screen too
            assert "withheld" in record["assurance_note"] and "appears to have changed in" in readings


def test_a_forecast_as_at_a_month_uses_no_later_data(late, config, tmp_path):
    """`kpis --period P`: the forecast is the same whether or not the months after P are loaded."""
    import io

    _, path, frame = late
    as_at = month(24)
    cut = tmp_path / "cut.duckdb"
    load_frame(frame[frame["period"] <= pd.Timestamp(as_at)], config, db_path=cut, name="cut.csv", fresh=True)

    def forecasts(db_path):
        out = io.StringIO()
        assert main(["kpis", "--db", str(db_path), "--ics", "QF7", "--period", as_at.strftime("%Y-%m"),
                     "--format", "json", "--store", str(tmp_path / "none.sqlite")], out=out) == 0
        return {r["kpi"]: r["forecast"] for r in json.loads(out.getvalue())}

    full, truncated = forecasts(path), forecasts(cut)
    assert full == truncated
    assert any(f is not None for f in full.values())


def test_primary_care_is_its_own_row_not_added_into_turnover(late, config):
    """NHS Digital's turnover covers NHS trusts: the GP aggregate is a row of the organisation
    breakdown, marked as outside the ICS figure, and not in the ICS figure itself."""
    from workforce.views.detail import breakdown_display, breakdowns, kpi_view

    db, _, frame = late
    turnover = config.kpi_by_id["turnover_rate_12m"]
    orgs = QF7_TRUSTS + ["QF7PC"]
    view = kpi_view(db, config, turnover, Selection(ics="QF7", period=month(28)))
    table = breakdowns(db, config, turnover, view)["organisation"]
    assert set(table["group"]) == set(orgs)
    assert table.set_index("group")["in_total"].to_dict() == {o: o != "QF7PC" for o in orgs}
    shown = breakdown_display(table, turnover, config, "organisation").set_index("Organisation")
    assert shown.loc["South Yorkshire general practice (aggregate)", "In the ICS figure"] == "No (reported separately)"
    _, values = latest_values(db, config, Selection(ics="QF7"))
    ics = next(v for v in values if v.kpi == "turnover_rate_12m")
    assert ics.value == pytest.approx(by_hand(frame, QF7_TRUSTS, month(28))["turnover"])
    assert ics.value != pytest.approx(by_hand(frame, orgs, month(28))["turnover"])


def test_kpi_page_offers_the_change_point_and_registering_it_restores_assurance(demo_path, monkeypatch, tmp_path):
    """South Yorkshire's vacancy rate on the demo: 14 months below the mean, no change point. The
    page withholds the assurance with the reason and an editor registers the change point in one
    click; the page then shows the recalculated limits' assurance and no longer offers it."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT
    from workforce.store.records import Store

    store = tmp_path / "store.sqlite"
    monkeypatch.setenv("WORKFORCE_DB", str(demo_path))
    monkeypatch.setenv("WORKFORCE_STORE", str(store))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["ics"], at.query_params["kpi"] = "QF7", "vacancy_rate"
    at.switch_page("pages/board/kpi.py")
    at.run()
    assert not at.exception
    assert any("Assurance withheld" in c.value for c in at.caption)
    offer = [b for b in at.button if b.label.startswith("Register a change point at")]
    assert len(offer) == 1
    at.text_input[0].input("Test editor")
    at.run()
    next(b for b in at.button if b.label.startswith("Register a change point at")).click()
    at.run()
    assert not at.exception
    registered = Store(store).interventions()
    assert [(i.change_point, i.kpis, i.ics) for i in registered] == [(True, ("vacancy_rate",), "QF7")]
    listed = " ".join(m.value for m in at.markdown if "Interventions and events on the chart" in m.value)
    assert "Vacancies: process shift — change point: limits recalculated" in listed.replace("\u2060", "")
    assert "Change point: " not in registered[0].label   # said once, not "Change point: … — change point"
    assert not any(b.label.startswith("Register a change point at") for b in at.button)
    assert not any("Assurance withheld" in c.value for c in at.caption)


# ---------------------------------------------------------------- window and baseline from config
def test_limits_come_from_a_held_baseline_and_the_chart_shows_the_latest_months(config):
    """60 monthly values: 48 alternating 4.9 / 5.1, then 12 at 6.0. The chart shows the latest 36
    (chart_months); the limits come from the first 20 values (baseline_months) — mean 5.0, every
    moving range 0.2, limits 5.0 ± 2.66 × 0.2 — held to the end, so the 6.0s are far above them.
    Without a baseline (null) the mean is every value's: (48 × 5.0 + 12 × 6.0) / 60 = 5.2."""
    from workforce.views.summary import analyse_kpi

    kpi = config.kpi_by_id["turnover_rate_12m"]  # neither seasonal nor carrying over
    periods = [month(i) for i in range(60)]
    values = [4.9, 5.1] * 24 + [6.0] * 12
    history = pd.DataFrame({"period": periods, "value": values, "spc_value": values})
    held = analyse_kpi(config, kpi, history)
    assert len(held) == 36 and held.dates[0] == month(24)
    assert held.mean[0] == pytest.approx(5.0) and held.upl[0] == pytest.approx(5.0 + 2.66 * 0.2)
    assert held.point_type[-1] == "special_cause_concern"  # 6.0 is far above limits fixed on 5.0
    everything = copy_of(config, spc=config.spc.model_copy(update={"baseline_months": None}))
    assert analyse_kpi(everything, kpi, history).mean[0] == pytest.approx(5.2)


def test_a_month_value_is_annualised_on_the_headline_scale(late, config):
    """Turnover's SPC series for a month = that month's leavers ÷ the mean of headcount at its start
    (the month before) and end, × 12 × 100 — worked out here from the simulated components."""
    from workforce.measures.kpi import kpi_frame

    db, _, frame = late
    turnover = config.kpi_by_id["turnover_rate_12m"]
    series = kpi_frame(db, config, [turnover], QF7_TRUSTS).set_index("period")
    m, before = pd.Timestamp(month(28)), pd.Timestamp(month(27))
    f = frame[frame["org_code"].isin(QF7_TRUSTS)]
    pick = lambda measure, when: f[(f["measure"] == measure) & (f["period"] == when)]["value"].sum()  # noqa: E731
    expected = pick("leavers", m) / ((pick("headcount", before) + pick("headcount", m)) / 2) * 12 * 100
    assert series.loc[month(28), "spc_value"] == pytest.approx(expected)


def test_a_withheld_assurance_has_its_own_matrix_column(demo, config):
    """Not 'No target': South Yorkshire's vacancy rate (a target of 7%) sits under 'withheld'."""
    from workforce.signals.spc.chart import summary_matrix
    from workforce.views.summary import board_summary

    _, rows = board_summary(demo, config, Selection(ics="QF7"))
    vacancy = next(r for r in rows if r.kpi.id == "vacancy_rate")
    assert vacancy.assurance_icon is None and vacancy.matrix_assurance == "withheld"
    grid = summary_matrix([{"kpi": r.kpi.id, "label": r.kpi.id, "variation_icon": r.variation_icon,
                            "assurance_icon": r.matrix_assurance} for r in rows])
    assert "vacancy_rate" in grid["Assurance withheld: process shifted"].str.cat(sep=", ")
    assert "vacancy_rate" not in grid["No target"].str.cat(sep=", ")


def test_a_trust_that_stopped_reporting_holds_the_month_back_only_so_far(tmp_path, config):
    """A trust that stops reporting (merged, but still in the config) may hold the default month back
    at most coverage.hold_back_months (3); after that the latest month is shown, flagged incomplete."""
    rng = np.random.default_rng(3)
    rows = [r for code in QF7_TRUSTS[:3] for r in stable_trust(code, rng, 30)]
    rows = [r for r in rows if not (r[1] == QF7_TRUSTS[2] and r[0] >= month(24))]  # silent from month 24
    path = tmp_path / "stopped.duckdb"
    load_frame(frame_of(rows), config, db_path=path, name="stopped.csv", fresh=True)
    db = Database(path)
    shown, values = latest_values(db, config, Selection(ics="QF7"))
    assert shown == month(29)  # six months silent: more than 3, so not held back to month 23
    turnover = next(v for v in values if v.kpi == "turnover_rate_12m")
    assert (turnover.orgs_reporting, turnover.orgs_expected, turnover.complete) == (2, 3, False)
    patient = copy_of(config, coverage=config.coverage.model_copy(update={"hold_back_months": 12}))
    assert latest_values(db, patient, Selection(ics="QF7"))[0] == month(23)


def test_target_met_or_missed_on_the_value_as_displayed(config):
    """'9.5% against a 9.5% target' meets it, whatever the hidden decimals (lower is better)."""
    from workforce.base.formatting import as_displayed
    from workforce.measures.figure import performance

    turnover = config.kpi_by_id["turnover_rate_12m"]
    assert performance(turnover, 9.54, 9.5) == "meets target"     # shown as 9.5%
    assert performance(turnover, 9.55001, 9.5) == "misses target"  # shown as 9.6%
    stability = config.kpi_by_id["stability_index"]                # higher is better
    assert performance(stability, 87.96, 88.0) == "meets target"   # shown as 88.0%
    assert as_displayed(1_249_000, "gbp") == 1_200_000 and as_displayed(12_499, "gbp") == 12_000


def test_agency_spend_is_judged_on_the_financial_year_to_date(tmp_path, config):
    """Agency % of pay bill: April to the month (the NHS financial year), a ratio of sums; a trust
    missing a month of this year is left out of the figure and flagged, never half-counted."""
    rows = []
    for i in range(24):  # Apr 2023 – Mar 2025
        period = month(i, dt.date(2023, 4, 1))
        for code, base in (("RFF", 1000.0), ("RP5", 3000.0)):
            if code == "RP5" and period == dt.date(2024, 6, 1):
                continue  # RP5 missed June 2024
            rows.append((period, code, ALL, "", "", "agency_spend", base * (1 + i % 5)))
            rows.append((period, code, ALL, "", "", "pay_bill", base * 40))
    frame = frame_of(rows)
    path = tmp_path / "agency.duckdb"
    load_frame(frame, config, db_path=path, name="agency.csv", fresh=True)
    db = Database(path)
    _, values = latest_values(db, config, Selection(ics="QF7", period=dt.date(2024, 2, 1)))
    agency = next(v for v in values if v.kpi == "agency_spend_pct")
    year = [month(i, dt.date(2023, 4, 1)) for i in range(11)]  # Apr 2023 – Feb 2024
    spend = sum(b * (1 + i % 5) for i, _ in enumerate(year) for b in (1000.0, 3000.0))
    assert agency.value == pytest.approx(spend / (11 * 40 * 4000.0) * 100)
    assert (agency.orgs_reporting, agency.orgs_expected) == (2, 2)
    _, values = latest_values(db, config, Selection(ics="QF7", period=dt.date(2024, 10, 1)))
    agency = next(v for v in values if v.kpi == "agency_spend_pct")
    year = range(12, 19)  # Apr – Oct 2024: RFF only, RP5 missed June
    assert agency.value == pytest.approx(sum(1000.0 * (1 + i % 5) for i in year) / (7 * 40 * 1000.0) * 100)
    assert (agency.orgs_reporting, agency.orgs_expected, agency.complete) == (1, 2, False)


def test_the_monthly_spc_value_is_disclosure_controlled(small_db, config):
    """A staff-group view is protected: RWH nurses' 12-month turnover (24 leavers) is shown, but its
    monthly SPC value (2 leavers a month, fewer than 8 people) is not, so a month's count cannot be
    worked back from it."""
    _, values = latest_values(small_db, config, Selection(ics="QM7", orgs=("RWH",), staff_group=NURSES))
    turnover = next(v for v in values if v.kpi == "turnover_rate_12m")
    assert turnover.value == round(25 / 115 * 100, 1)  # published from its counts as shown: 24 → 25, 117 → 115
    assert turnover.history["spc_value"].isna().all()
    _, values = latest_values(small_db, config, Selection(ics="QM7"))  # whole ICS: not protected
    assert next(v for v in values if v.kpi == "turnover_rate_12m").history["spc_value"].notna().any()


def test_kpi_page_without_an_spc_series_still_shows_the_figure(small_db_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in {"ics": "QM7", "org": "RWH", "staff_group": NURSES, "kpi": "turnover_rate_12m"}.items():
        at.query_params[key] = value
    at.switch_page("pages/board/kpi.py")
    at.run()
    assert not at.exception
    assert at.metric[0].value == "21.7%"  # a protected view publishes 24 / 117 from its counts as shown: 25 / 115
    assert any("There is no SPC chart" in m.value for m in at.markdown)


@pytest.mark.parametrize("ics", ["QF7", "QKS", "E54000065", "E54000069"])
def test_demo_ics_boards_answer_most_targets(demo, config, ics):
    """Issue 18: on the demo's ICS boards most targeted KPIs have an assurance icon or, where it is
    withheld or impossible, the chance of meeting the target (before: 2–6 of 11, never passing)."""
    from workforce.views.summary import board_summary

    _, rows = board_summary(demo, config, Selection(ics=ics))
    targeted = [r for r in rows if r.latest.target is not None and r.kpi.improvement_direction != "neutral"]
    answered = [r for r in targeted if r.assurance_icon is not None or r.outlook is not None]
    assert len(targeted) >= 9 and len(answered) > 0.75 * len(targeted), [r.kpi.id for r in targeted if r not in answered]
