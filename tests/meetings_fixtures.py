"""A copy of the small fixture with one exception: from May 2024 RWH nurses lose 90 FTE days a
month to sickness instead of 50, so the ICS's sickness absence rate steps from 3.75% to 4.75% for
the last 8 months — special-cause concern (a run above the mean and points above the upper limit)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import NURSES, months, write_csv
from workforce.ingest.loader import load_files


def build_exception_db(folder: Path, small_db_path: Path, config) -> Path:
    target = folder / "exception.duckdb"
    target.write_bytes(small_db_path.read_bytes())
    rows = [[period, "RWH", NURSES, "", "", "fte_days_lost", 90] for period in months("2024-05", 8)]
    load_files([write_csv(folder / "sickness_rise.csv", rows)], config, db_path=target)
    return target
