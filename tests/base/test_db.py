"""Readers follow atomic swaps, and a page run pinned to one generation never mixes old and new."""

import datetime as dt

import duckdb

from tests.conftest import NURSES, write_csv
from workforce.base.db import Database
from workforce.ingest.loader import load_files


def test_pinned_view_keeps_its_generation_across_a_swap(tmp_path, fresh_db_path, config):
    db = Database(fresh_db_path)
    page_run = db.pinned()
    before = page_run.query("measures/latest_period", {"orgs": ["RWH"]})["period"].iloc[0]
    source = write_csv(tmp_path / "jan.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "130"]])
    load_files([source], config, db_path=fresh_db_path)
    # the page that started before the load finishes on the old figures…
    assert str(page_run.query("measures/latest_period", {"orgs": ["RWH"]})["period"].iloc[0])[:7] == "2024-12"
    assert str(before)[:7] == "2024-12"
    # …and the next page run sees the new file
    assert str(db.pinned().query("measures/latest_period", {"orgs": ["RWH"]})["period"].iloc[0])[:7] == "2025-01"
    assert db.pinned().generation != page_run.generation


def test_results_are_cached_per_generation(fresh_db_path):
    db = Database(fresh_db_path)
    first = db.query("base/meta")
    first.loc[0, "value"] = "changed by the caller"  # callers get copies, never the cached frame
    assert db.query("base/meta").loc[0, "value"] != "changed by the caller"


def test_the_app_never_writes_the_live_file(fresh_db_path):
    db = Database(fresh_db_path)
    db.query("base/meta")
    # a writer in this process would conflict with a read-write handle; ours is read-only
    with duckdb.connect(str(fresh_db_path), read_only=True) as other:
        assert other.execute("SELECT count(*) FROM fact").fetchone()[0] > 0


def test_history_of_a_database_from_an_earlier_version(fresh_db_path):
    # written before the rollback columns existed: the history still reads, the new columns empty
    from workforce.ingest.loader import load_history

    with duckdb.connect(str(fresh_db_path)) as con:
        for column in ("rows_skipped", "notes", "rolled_back_at", "rolled_back_by"):
            con.execute(f"ALTER TABLE load DROP COLUMN {column}")
    history = load_history(fresh_db_path)
    assert history.loc[0, "file"] == "small.csv" and history["rows_skipped"].isna().all()


def test_cli_never_shows_a_traceback(tmp_path):
    import io

    from workforce.cli.main import main

    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database at all" * 100)
    err = io.StringIO()
    code = main(["loads", "--db", str(broken)], out=io.StringIO(), err=err)
    assert code != 0 and err.getvalue().startswith("error:") and "Traceback" not in err.getvalue()


def test_default_month_follows_a_load(tmp_path, fresh_db_path, config):
    # the default reporting month is remembered per generation: a load must move it on
    from workforce.measures.kpi import reporting_month

    db = Database(fresh_db_path)
    assert reporting_month(db.pinned(), ["RWH"], None) == dt.date(2024, 12, 1)
    assert reporting_month(db.pinned(), ["RWH"], None) == dt.date(2024, 12, 1)  # remembered
    source = write_csv(tmp_path / "jan.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "130"]])
    load_files([source], config, db_path=fresh_db_path)
    assert reporting_month(db.pinned(), ["RWH"], None) == dt.date(2025, 1, 1)
