"""Findings 11 and 14 (issue 19): the loader's consistency checks ran within one file only.

11: a second load (or a rollback) could leave headcount 300 beside sex rows 600 + 350: the breakdown
    rows of a figure must never add up to more than the figure held for it, whichever load brought
    each part, and whatever a rollback would restore.
14: a headcount of 0.0001 loaded: counts of people are whole numbers."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import COLUMNS, write_csv
from workforce.ingest.loader import LoadError, LoadRejected, load_files, rollback

NURSES = "Nurses & health visitors"
MONTH = "2024-01"


def load(tmp_path, db_path, config, name, rows):
    source = write_csv(tmp_path / f"{name}.csv", [[MONTH, "RWH", NURSES, *row] for row in rows], COLUMNS)
    return load_files([source], config, db_path=db_path, loaded_by="test").files[0].load_id


def held(db_path) -> dict[tuple[str, str], float]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("SELECT breakdown_value, measure, value FROM fact WHERE org_code = 'RWH' "
                           "AND period = '2024-01-01' AND staff_group = ?", [NURSES]).fetchall()
    return {(value, measure): amount for value, measure, amount in rows}


TOTAL_300 = [["", "", "headcount", 300]]
SEX_950 = [["sex", "Female", "headcount", 600], ["sex", "Male", "headcount", 350]]


def test_11_breakdown_rows_loaded_later_cannot_exceed_the_total_held(tmp_path, config):
    db_path = tmp_path / "w.duckdb"
    load(tmp_path, db_path, config, "total", TOTAL_300)
    with pytest.raises(LoadRejected) as refused:
        load(tmp_path, db_path, config, "sex", SEX_950)
    assert "300" in str(refused.value) and "sex" in str(refused.value)
    assert held(db_path) == {("", "headcount"): 300}


def test_11_a_total_loaded_later_cannot_fall_below_its_breakdown_held(tmp_path, config):
    db_path = tmp_path / "w.duckdb"
    load(tmp_path, db_path, config, "both", [["", "", "headcount", 1000], *SEX_950])
    with pytest.raises(LoadRejected):
        load(tmp_path, db_path, config, "total", TOTAL_300)
    assert held(db_path)[("", "headcount")] == 1000


def test_11_a_rollback_cannot_leave_a_total_below_its_breakdown(tmp_path, config):
    db_path = tmp_path / "w.duckdb"
    load(tmp_path, db_path, config, "total_300", TOTAL_300)
    correction = load(tmp_path, db_path, config, "total_1000", [["", "", "headcount", 1000]])
    load(tmp_path, db_path, config, "sex", SEX_950)  # 950 ≤ 1000: accepted
    before = held(db_path)
    with pytest.raises(LoadError) as refused:
        rollback(correction, config, db_path=db_path, by="test")
    assert "sex.csv" in str(refused.value)
    assert held(db_path) == before


def test_14_a_fraction_of_a_person_is_refused(tmp_path, config):
    db_path = tmp_path / "w.duckdb"
    with pytest.raises(LoadRejected) as refused:
        load(tmp_path, db_path, config, "tiny", [["", "", "headcount", 0.0001]])
    assert "whole" in str(refused.value)
