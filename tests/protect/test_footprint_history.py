"""Footprint history: a new ICS's months before it began count its members at its start (back-cast,
'as constituted'); an abolished ICS ends at valid_to. Figures worked out by hand from the small
fixture (tests/conftest.py): every month RWH nurses lose 50 of 1,000 FTE days to sickness, RWG
nurses 100 of 3,000; RWH spends £10,000 on agency of a £500,000 pay bill, RWG £30,000 of £1m.

A tiny boundary change on that fixture: Hertfordshire and West Essex (QM7) ends in June 2024;
from July 2024 RWH is in Central East (E54000065) and RWG in Essex (E54000066)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from workforce.cli import main as cli
from workforce.base.config import ConfigError, load_config
from workforce.protect.figures import series
from workforce.protect.scope import resolve
from workforce.measures.selection import Selection

CENTRAL, ESSEX = "E54000065", "E54000066"
MARCH_2024, NOV_2024 = dt.date(2024, 3, 1), dt.date(2024, 11, 1)


def tiny_data() -> dict:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    for ics in data["icss"]:
        if ics["code"] == "QM7":
            ics["valid_to"] = dt.date(2024, 6, 30)
        if ics["code"] in (CENTRAL, ESSEX):
            ics["valid_from"] = dt.date(2024, 7, 1)
    for org in data["organisations"]:
        if org["membership"][0][0] == "QM7":
            org["membership"] = [["QM7", dt.date(2021, 4, 1), dt.date(2024, 6, 30)],
                                 [ESSEX if org["code"] == "RWG" else CENTRAL, dt.date(2024, 7, 1)]]
    return data


def write_config(folder: Path, data: dict) -> Path:
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return load_config(write_config(tmp_path_factory.mktemp("tiny"), tiny_data()))


def value(db, config, ics: str, kpi_id: str, month: dt.date) -> float | None:
    scope = resolve(db, config, Selection(ics=ics, period=month))
    frame = series(db, config, [config.kpi_by_id[kpi_id]], scope)
    row = frame[frame["period"] == month]
    return None if row.empty else float(row["value"].iloc[0])


def test_a_new_footprint_before_it_began_adds_up_its_members_at_its_start(small_db, tiny):
    # Central East in March 2024 (it began in July 2024): its July members, of which RWH has data
    assert value(small_db, tiny, CENTRAL, "sickness_absence_rate", MARCH_2024) == pytest.approx(100 * 50 / 1000)
    assert value(small_db, tiny, ESSEX, "sickness_absence_rate", MARCH_2024) == pytest.approx(100 * 100 / 3000)
    # the footprint it replaced, effective-dated, still counts both: (50 + 100) / (1,000 + 3,000)
    assert value(small_db, tiny, "QM7", "sickness_absence_rate", MARCH_2024) == pytest.approx(3.75)
    # a financial year to date (Apr 2023 - Mar 2024) of RWH alone: 12 × £10,000 / (12 × £500,000)
    assert value(small_db, tiny, CENTRAL, "agency_spend_pct", MARCH_2024) == pytest.approx(2.0)
    # after it began, its own members as before
    assert value(small_db, tiny, CENTRAL, "sickness_absence_rate", NOV_2024) == pytest.approx(5.0)


def test_the_back_cast_is_said(small_db, tiny):
    scope = resolve(small_db, tiny, Selection(ics=CENTRAL))
    assert scope.history == "Before Jul 2024: figures for today's member organisations (Central East began in Jul 2024)."
    assert resolve(small_db, tiny, Selection(ics="QM7")).history is None
    assert resolve(small_db, tiny, Selection(ics="QKS")).history is None


def test_an_abolished_footprint_has_nothing_after_it_ended(small_db, tiny):
    scope = resolve(small_db, tiny, Selection(ics="QM7"))
    assert scope.month == dt.date(2024, 6, 1)
    frame = series(small_db, tiny, tiny.kpis, scope, end=dt.date(2024, 12, 1))
    assert not frame.empty and frame["period"].max() == dt.date(2024, 6, 1)
    late = resolve(small_db, tiny, Selection(ics="QM7", period=NOV_2024))
    assert late.orgs == [] and "ended in Jun 2024" in late.refusal


def test_effective_dated_history_shows_nothing_before_the_start(small_db, tmp_path):
    data = tiny_data()
    data["plan"]["footprint_history"] = "effective_dated"
    strict = load_config(write_config(tmp_path, data))
    assert value(small_db, strict, CENTRAL, "sickness_absence_rate", MARCH_2024) is None
    assert "began in Jul 2024" in resolve(small_db, strict, Selection(ics=CENTRAL, period=MARCH_2024)).refusal
    # one ICS may differ from the plan's default
    next(i for i in data["icss"] if i["code"] == ESSEX)["history"] = "current_members"
    mixed = load_config(write_config(tmp_path, data))
    assert value(small_db, mixed, ESSEX, "sickness_absence_rate", MARCH_2024) == pytest.approx(100 * 100 / 3000)
    assert value(small_db, mixed, CENTRAL, "sickness_absence_rate", MARCH_2024) is None


def test_history_without_a_start_is_refused_at_load(tmp_path):
    data = tiny_data()
    next(i for i in data["icss"] if i["code"] == "QKS")["history"] = "current_members"
    with pytest.raises(ConfigError, match=r"icss\[1\] \(QKS\) → history: current_members needs valid_from"):
        load_config(write_config(tmp_path, data))
    data = tiny_data()
    data["plan"]["footprint_history"] = "as_constituted"
    with pytest.raises(ConfigError, match="footprint_history"):
        load_config(write_config(tmp_path, data))


def test_counted_spans_are_the_back_cast_as_date_ranges(tiny):
    spans = {(org, start, end) for org, start, end in tiny.counted_spans(CENTRAL)}
    assert ("RWH", dt.date(2021, 4, 1), dt.date(2024, 6, 30)) in spans
    assert ("RWH", dt.date(2024, 7, 1), None) in spans
    assert not any(org == "RWG" for org, _s, _e in spans)
    assert all(end <= dt.date(2024, 6, 30) for _o, _s, end in tiny.counted_spans("QM7"))


def test_cli_kpis_says_the_back_cast(small_db_path, tiny, tmp_path):
    path = write_config(tmp_path, tiny_data())
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["kpis", "--config", str(path), "--db", str(small_db_path), "--ics", CENTRAL,
                     "--period", "2024-03"], out=out, err=err)
    assert code == 0
    assert "Before Jul 2024: figures for today's member organisations" in out.getvalue()


# ---------------------------------------------------------------- the demo's default board
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from workforce.base.db import Database
    from workforce.demo import build_demo

    config = load_config(ROOT / "config.yaml")
    path = tmp_path_factory.mktemp("footprint_demo") / "demo.duckdb"
    build_demo(config, path, end=dt.date(2026, 10, 1))
    return config, Database(path)


def test_the_default_board_of_a_new_footprint_has_spc(demo):
    """The plan's footprint after April 2026 is Central East (7 months old in October 2026): with its
    history on today's members, every monthly KPI has an SPC reading, not 'too few points'."""
    from workforce.measures.selection import current_footprint
    from workforce.views.summary import board_summary

    config, db = demo
    assert current_footprint(config, config.plan.ics, dt.date(2026, 10, 1)) == CENTRAL
    month, rows = board_summary(db, config, Selection(ics=CENTRAL))
    assert month == dt.date(2026, 10, 1)
    monthly = [r for r in rows if r.spc_basis == "monthly"]
    assert len(monthly) >= 5
    assert all(r.variation_icon for r in monthly), [r.kpi.id for r in monthly if not r.variation_icon]
    scope = resolve(db, config, Selection(ics=CENTRAL))
    points = series(db, config, [config.kpi_by_id["sickness_absence_rate"]], scope)
    assert len(points) > 36 and points["period"].min() < dt.date(2026, 4, 1)
    assert scope.history == ("Before Apr 2026: figures for today's member organisations "
                             "(Central East began in Apr 2026).")


def test_the_scoped_viewer_sees_back_cast_central_east_but_not_its_overlapping_predecessor(demo):
    config, db = demo
    june = dt.date(2025, 6, 1)
    central = resolve(db, config, Selection(ics=CENTRAL, period=june), ["RWH"])
    assert "RQW" not in central.orgs and "RWG" in central.orgs
    qm7 = resolve(db, config, Selection(ics="QM7", period=june), ["RWH"])
    assert qm7.orgs == [] and "Hertfordshire and West Essex is not shown to you" in qm7.refusal


@pytest.mark.slow
def test_the_pack_cover_and_the_summary_page_say_the_back_cast(small_db, small_db_path, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from workforce.views.board import build_board
    from workforce.meetings.pack import build_pages

    data = tiny_data()
    data["database"]["store_path"] = str(tmp_path / "store.sqlite")
    path = write_config(tmp_path, data)
    config = load_config(path)
    note = "Before Jul 2024: figures for today's member organisations (Central East began in Jul 2024)."
    cover = build_pages(build_board(small_db, config, Selection(ics=CENTRAL)))[0]
    assert note in [p.text for p in cover.paras]
    assert note not in [p.text for p in build_pages(build_board(small_db, config, Selection(ics="QKS")))[0].paras]
    monkeypatch.setenv("WORKFORCE_CONFIG", str(path))
    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["ics"] = CENTRAL
    at.run()
    assert not at.exception
    assert any("Before Jul 2024" in c.value and "figures for today's member organisations" in c.value
               for c in at.caption)  # markdown-escaped on screen
    assert any("earlier months are figures for today's member organisations" in c.value for c in at.sidebar.caption)


def test_the_series_download_says_which_months_are_back_cast(small_db, tiny):
    from workforce.views.detail import export_tables, kpi_view

    kpi = tiny.kpi_by_id["sickness_absence_rate"]
    view = kpi_view(small_db, tiny, kpi, Selection(ics=CENTRAL))
    table = export_tables(kpi, view, {}, tiny)["Series"].set_index("month")
    assert table.loc["2024-06", "organisations_counted"] == "Today's member organisations (before Jul 2024)"
    assert table.loc["2024-07", "organisations_counted"] == "Members in the month"
    assert table.loc["2024-06", "value"] == pytest.approx(5.0)  # RWH alone: 50 / 1,000
    qks = kpi_view(small_db, tiny, kpi, Selection(ics="QKS"))
    assert "organisations_counted" not in export_tables(kpi, qks, {}, tiny)["Series"].columns


def test_the_cli_opens_on_the_same_footprint_as_the_app(demo, tmp_path):
    """Without --ics, `kpis` reports the plan's footprint as at the month: Hertfordshire and West
    Essex up to March 2026, Central East (its successor for most of its organisations) after."""
    config, db = demo
    for period, place in [("2026-10", "Central East"), ("2026-03", "Hertfordshire and West Essex")]:
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(["kpis", "--db", str(db.path), "--period", period], out=out, err=err)
        assert code == 0, err.getvalue()
        assert out.getvalue().splitlines()[0].endswith(f"· {place}")
