"""Shared by the load-history tests (tests/ingest/test_load_history.py, tests/ui/test_load_history_pages.py):
three small files whose figures are worked out by hand, the store both back ends run on, and readers of the
store and the database file that do not go through the code under test."""

from __future__ import annotations

import sqlite3

import duckdb
import pytest

from tests.conftest import NURSES, write_csv
from tests.store.store_fixtures import pg_server, pg_url, store_target  # noqa: F401
from workforce.base.store_backend import is_postgres
from workforce.ingest.loader import load_files, rollback

DOCTORS = "HCHS doctors"
A = [["2024-01", "RWH", NURSES, "", "", "headcount", "100"], ["2024-01", "RWH", NURSES, "", "", "leavers", "2"],
     ["2024-01", "RWG", NURSES, "", "", "headcount", "*"]]          # 3 rows in, 3 new, 1 held as missing
B = [["2024-01", "RWH", NURSES, "", "", "headcount", "110"],        # 100 → 110: changed
     ["2024-01", "RWH", DOCTORS, "", "", "headcount", "50"]]        # new
C = [["2024-01", "RN7", NURSES, "", "", "headcount", "80"]]         # new


@pytest.fixture
def store(monkeypatch, store_target):  # noqa: F811
    """The loader, the CLI and the pages all use this store (SQLite file or PostgreSQL database)."""
    monkeypatch.delenv("WORKFORCE_STORE_URL", raising=False)
    monkeypatch.delenv("WORKFORCE_STORE", raising=False)
    monkeypatch.setenv("WORKFORCE_STORE_URL" if is_postgres(store_target) else "WORKFORCE_STORE", str(store_target))
    return store_target


def events(target) -> list[tuple]:
    """The store's load_event rows, read with the back end's own driver (not through the code under test)."""
    query = "SELECT action, load_id, who, database_id FROM load_event ORDER BY id"
    if is_postgres(target):
        import psycopg

        with psycopg.connect(target) as con:
            return con.execute(query).fetchall()
    with sqlite3.connect(target) as con:
        return con.execute(query).fetchall()


def database_id(db_path) -> str | None:
    with duckdb.connect(str(db_path), read_only=True) as con:
        row = con.execute("SELECT value FROM meta WHERE key = 'database_id'").fetchone()
    return row and row[0]


def three_loads(tmp_path, config, db_path):
    """a.csv by ann (load 1); b.csv and c.csv together by bob (loads 2 and 3); load 2 rolled back by cy."""
    a, b, c = (write_csv(tmp_path / f"{name}.csv", rows) for name, rows in (("a", A), ("b", B), ("c", C)))
    load_files([a], config, db_path=db_path, loaded_by="ann")
    load_files([b, c], config, db_path=db_path, loaded_by="bob")
    undone = rollback(2, config, db_path=db_path, by="cy")
    assert (undone.rows_removed, undone.rows_restored) == (1, 1)  # doctors' 50 removed, nurses' 100 back
    return a, b, c
