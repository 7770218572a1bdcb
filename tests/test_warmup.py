"""The server works out the default board once per data generation, before the first browser asks."""

from __future__ import annotations

import time

from tests.conftest import NURSES, write_csv
from ui import warmup
from workforce import kpi
from workforce.db import open_database
from workforce.loader import load_files


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
