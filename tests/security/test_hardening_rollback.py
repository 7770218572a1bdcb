"""Finding 10: rollback got round the loader's own checks.

Headcount 303 is loaded, then corrected to 1000, then leavers 800 (valid: 800 ≤ 1000). Rolling back
the correction would restore headcount 303 beside leavers 800 — leavers above headcount, which the
loader itself rejects as impossible. The rollback must be refused, naming the leavers load, and
leave the database exactly as it was.
"""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import COLUMNS, write_csv
from workforce.ingest.loader import LoadError, LoadRejected, load_files, rollback

NURSES = "Nurses & health visitors"


def _load(tmp_path, db_path, config, name, measure, value):
    source = write_csv(tmp_path / f"{name}.csv", [["2024-01", "RWH", NURSES, "", "", measure, value]], COLUMNS)
    return load_files([source], config, db_path=db_path, loaded_by="test").files[0].load_id


def _figures(db_path) -> dict[str, float]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("SELECT measure, value FROM fact WHERE org_code = 'RWH' AND period = '2024-01-01'"
                           " AND staff_group = ? AND breakdown = ''", [NURSES]).fetchall()
    return dict(rows)


@pytest.fixture()
def three_loads(tmp_path, config):
    db_path = tmp_path / "w.duckdb"
    first = _load(tmp_path, db_path, config, "headcount_303", "headcount", 303)
    correction = _load(tmp_path, db_path, config, "headcount_1000", "headcount", 1000)
    leavers = _load(tmp_path, db_path, config, "leavers_800", "leavers", 800)
    return db_path, first, correction, leavers


def test_the_loader_itself_rejects_the_impossible_figures(tmp_path, config):
    db_path = tmp_path / "w.duckdb"
    _load(tmp_path, db_path, config, "headcount_303", "headcount", 303)
    with pytest.raises(LoadRejected):
        _load(tmp_path, db_path, config, "leavers_800", "leavers", 800)


@pytest.mark.parametrize("dry_run", [False, True])
def test_rollback_that_would_leave_impossible_figures_is_refused(three_loads, config, dry_run):
    db_path, _, correction, leavers = three_loads
    before = _figures(db_path)
    assert before == {"headcount": 1000, "leavers": 800}
    with pytest.raises(LoadError) as refused:
        rollback(correction, config, db_path=db_path, by="test", dry_run=dry_run)
    message = str(refused.value)
    assert f"load {leavers}" in message and "leavers_800.csv" in message
    assert "leavers" in message and "headcount" in message and "303" in message
    assert _figures(db_path) == before
    with duckdb.connect(str(db_path), read_only=True) as con:
        status = con.execute("SELECT status FROM load WHERE load_id = ?", [correction]).fetchone()[0]
    assert status == "loaded"


def test_rolling_back_the_dependant_first_then_works(three_loads, config):
    db_path, _, correction, leavers = three_loads
    rollback(leavers, config, db_path=db_path, by="test")
    rollback(correction, config, db_path=db_path, by="test")
    assert _figures(db_path) == {"headcount": 303}


def test_rollback_allowed_when_the_loader_would_accept_the_result(tmp_path, config):
    """The loader checks a month's leavers against the larger of the headcount at the month's start
    (the month before) and end: the only nurse leaves in February, headcount 1 → 0, leavers 1. A
    correction of February's headcount to 3, rolled back, restores exactly that: it must be allowed."""
    db_path = tmp_path / "w.duckdb"
    first = write_csv(tmp_path / "jan_feb.csv", [["2024-01", "RWH", NURSES, "", "", "headcount", 1],
                                                 ["2024-02", "RWH", NURSES, "", "", "headcount", 0],
                                                 ["2024-02", "RWH", NURSES, "", "", "leavers", 1]], COLUMNS)
    load_files([first], config, db_path=db_path, loaded_by="test")
    correction = write_csv(tmp_path / "feb_fix.csv", [["2024-02", "RWH", NURSES, "", "", "headcount", 3]], COLUMNS)
    load_id = load_files([correction], config, db_path=db_path, loaded_by="test").files[0].load_id
    rollback(load_id, config, db_path=db_path, by="test")
    with duckdb.connect(str(db_path), read_only=True) as con:
        held = con.execute("SELECT value FROM fact WHERE period = '2024-02-01' AND measure = 'headcount' "
                           "AND breakdown = ''").fetchone()[0]
    assert held == 0
