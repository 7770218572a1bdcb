"""The Data pages read the load history from the store's load records (AppTest), on both back ends: Load
data's history table and rollback choices, and the Audit log's load and rollback entries; loads the store
has no record of are listed from the database file, with a note saying so."""

from __future__ import annotations

import socket

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.ingest.history_fixtures import pg_server, pg_url, store, store_target, three_loads  # noqa: F401

APP = str(ROOT / "app.py")
pytestmark = pytest.mark.slow  # the app run several times, and the loads before it


def page(path: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page(path)
    return at.run()


@pytest.fixture
def loaded(monkeypatch, tmp_path, config, store):
    """a.csv (load 1), b.csv and c.csv together (loads 2 and 3), load 2 rolled back by cy: all in `store`."""
    db_path = tmp_path / "w.duckdb"
    three_loads(tmp_path, config, db_path)
    monkeypatch.setenv("WORKFORCE_DB", str(db_path))
    return db_path


def history_table(at: AppTest):
    return next(df.value for df in at.dataframe if "Recorded in" in df.value.columns)


def test_load_data_page_shows_the_stores_record(loaded):
    at = page("pages/data/load.py")
    assert not at.exception
    table = history_table(at)
    assert table[["Load", "File", "Rows in", "Loaded", "Rejected", "Who", "Generation", "Recorded in"]].values.tolist() == [
        [3, "c.csv", 1, 1, 0, "bob", "3", "store"], [2, "b.csv", 2, 2, 0, "bob", "3", "store"],
        [1, "a.csv", 3, 3, 0, "ann", "1", "store"]]
    assert table["Status"].tolist() == ["loaded", "rolled back", "loaded"]
    assert [t.split(" by ")[-1] for t in table["Rolled back"]] == ["", "cy", ""]
    assert not at.info  # nothing the store lacks
    options = at.selectbox(key="data_rollback_pick").options  # load 2 is rolled back already
    assert [o.split(":")[0] for o in options] == ["Load 3", "Load 1"]


def test_audit_log_shows_loads_and_rollbacks_from_the_store(loaded):
    at = page("pages/data/audit.py")
    assert not at.exception
    log = at.dataframe[0].value
    assert log[["Who", "Action", "What"]].values.tolist() == [
        ["cy", "Load rolled back", "Load 2: b.csv"], ["bob", "Data loaded", "Load 3: c.csv (template)"],
        ["bob", "Data loaded", "Load 2: b.csv (template)"], ["ann", "Data loaded", "Load 1: a.csv (template)"]]
    host = socket.gethostname()
    details = log["Details"].tolist()
    assert details[0].startswith(f"1 figure it added removed, 1 it replaced restored; data generation 2-rolled-back-")
    assert details[0].endswith(f", on {host}")
    assert details[2].startswith(f"2 rows in, 2 loaded, 0 rejected (1 new, 1 changed); into data generation 3, on {host}; "
                                 "checksum ")
    assert not at.info


def test_a_database_older_than_the_stores_records_is_listed_and_said_to_be(monkeypatch, fresh_db_path, store):
    """The fixture database's load 1 was recorded in another store: the pages list it from the file, and say so."""
    monkeypatch.setenv("WORKFORCE_DB", str(fresh_db_path))
    note = ("Load 1 is not in the store's load records (made before the store kept them, or while it was not "
            "answering): shown from the database file's own history.")
    at = page("pages/data/load.py")
    assert not at.exception
    assert history_table(at)[["Load", "File", "Generation", "Recorded in"]].values.tolist() == [
        [1, "small.csv", "", "database file"]]
    assert [i.value for i in at.info] == [note]
    at = page("pages/data/audit.py")
    assert not at.exception
    assert [i.value for i in at.info] == [note]
    entry = at.dataframe[0].value.iloc[0]
    assert entry["Action"] == "Data loaded" and entry["Details"].endswith("from the database file's own history")
