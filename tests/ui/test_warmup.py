"""The server works out the default board once per data generation, before the first browser asks."""

from __future__ import annotations

import time

from tests.conftest import NURSES, write_csv
from ui import warmup
from workforce.measures import kpi
from workforce.base.db import open_database
from workforce.ingest.loader import load_files


def test_default_board_is_worked_out_per_generation(tmp_path, fresh_db_path, config, monkeypatch):
    monkeypatch.setenv("WORKFORCE_DB", str(fresh_db_path))
    monkeypatch.setattr(warmup, "CHECK_EVERY_S", 0.1)
    kpi._REPORTING_MONTHS.clear()
    db = open_database(fresh_db_path)
    assert warmup.default_selection(config, db.pinned()).ics == config.plan.ics  # no boundary change here
    warmup.start()

    def remembered(generation) -> bool:
        return any(key[0] == generation for key in list(kpi._REPORTING_MONTHS))

    deadline = time.monotonic() + 30
    while not remembered(db.generation) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert remembered(db.generation), "the default board was not worked out after start-up"
    load_files([write_csv(tmp_path / "jan.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "130"]])],
               config, db_path=fresh_db_path)
    new = open_database(fresh_db_path).generation
    deadline = time.monotonic() + 30
    while not remembered(new) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert remembered(new), "the default board was not worked out again after a load"


def test_summary_tables_replayed_only_for_the_same_figures(tmp_path, fresh_db_path, config, monkeypatch):
    # the KPI tables are drawn once and replayed to later sessions: a load must show new figures
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("WORKFORCE_DB", str(fresh_db_path))

    def kpi_tables():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception
        return [df.value[["KPI", "Period", "Value"]] for df in at.dataframe if "Period" in df.value.columns]

    first, again = kpi_tables(), kpi_tables()
    assert [t.to_dict() for t in first] == [t.to_dict() for t in again] and first
    correction = [["2024-12", "RWH", NURSES, "", "", "leavers", "40"]]  # was 2: turnover rises
    load_files([write_csv(tmp_path / "dec.csv", correction)], config, db_path=fresh_db_path)
    after = kpi_tables()
    turnover = "Staff turnover (12-month leaver rate)"

    def value(tables):
        return next(t.set_index("KPI").loc[turnover, "Value"] for t in tables if turnover in set(t["KPI"]))
    assert value(first) == "19.6%" and value(after) != "19.6%"
