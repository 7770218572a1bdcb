"""The load history people read comes from the store's load records (issue 20: load history goes through
the store, so every machine of a cluster sees it), on both back ends; loads the store has no record of
are still listed, from the database file, and said to be. Figures are worked out by hand from the files."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import socket

import duckdb
import pandas as pd
import pytest

from tests.conftest import COLUMNS, write_csv
from tests.ingest.history_fixtures import A, B, C, database_id, events, three_loads
from tests.ingest.history_fixtures import pg_server, pg_url, store, store_target  # noqa: F401
from workforce.base.store_backend import StoreError, open_backend
from workforce.cli.main import main
from workforce.ingest import history
from workforce.ingest.loader import LoadError, load_files, load_frame, recorded_history, rollback


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_loads_and_rollbacks_are_read_from_the_store(tmp_path, config, store):
    db_path = tmp_path / "w.duckdb"
    a, b, c = three_loads(tmp_path, config, db_path)
    # the store holds them, under the id the database file carries
    assert events(store) == [("load", 1, "ann", database_id(db_path)), ("load", 2, "bob", database_id(db_path)),
                             ("load", 3, "bob", database_id(db_path)), ("rollback", 2, "cy", database_id(db_path))]
    recorded = recorded_history(db_path, open_backend(store))
    assert recorded.notes == []
    rows = recorded.loads.set_index("load_id")
    assert rows.index.tolist() == [3, 2, 1]
    assert set(rows["source"]) == {"store"} and set(rows["host"]) == {socket.gethostname()}
    columns = ["file", "sha256", "format", "rows_in", "rows_loaded", "rows_rejected", "rows_missing", "rows_new",
               "rows_changed", "loaded_by", "generation", "status"]
    assert rows.loc[1, columns].tolist() == ["a.csv", sha(a), "template", 3, 3, 0, 1, 3, 0, "ann", "1", "loaded"]
    assert rows.loc[2, columns].tolist() == ["b.csv", sha(b), "template", 2, 2, 0, 0, 1, 1, "bob", "3", "rolled back"]
    assert rows.loc[3, columns].tolist() == ["c.csv", sha(c), "template", 1, 1, 0, 0, 1, 0, "bob", "3", "loaded"]
    # files loaded together went into one generation; the rollback made another, and says what it undid
    assert (rows.loc[2, "rolled_back_by"], rows.loc[2, "rows_removed"], rows.loc[2, "rows_restored"]) == ("cy", 1, 1)
    assert rows.loc[2, "rollback_generation"].startswith("2-rolled-back-")
    assert rows.loc[2, "rolled_back_at"] >= rows.loc[2, "loaded_at"] >= rows.loc[1, "loaded_at"]
    assert rows["rolled_back_at"].isna().tolist() == [True, False, True]


def test_loads_command_reads_the_store(tmp_path, config, store):
    """`loads` (table and JSON) shows the store's record: machine and generation, which only the store has."""
    db_path = tmp_path / "w.duckdb"
    three_loads(tmp_path, config, db_path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["loads", "--format", "json", "--db", str(db_path)], out=out, err=err) == 0
    records = json.loads(out.getvalue())
    assert err.getvalue() == ""
    assert [(r["load_id"], r["file"], r["generation"], r["status"], r["rolled_back_by"], r["source"])
            for r in records] == [(3, "c.csv", "3", "loaded", None, "store"), (2, "b.csv", "3", "rolled back", "cy", "store"),
                                  (1, "a.csv", "1", "loaded", None, "store")]
    assert {r["host"] for r in records} == {socket.gethostname()}
    out = io.StringIO()
    assert main(["loads", "--db", str(db_path)], out=out, err=err) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["load_id", "file", "format", "rows_in", "rows_loaded", "rows_rejected", "rows_skipped",
                                "rows_missing", "loaded_at", "loaded_by", "host", "generation", "status"]
    assert lines[2].split()[:4] == ["2", "b.csv", "template", "2"] and lines[2].endswith("by cy")
    assert lines[3].split()[10:13] == ["ann", socket.gethostname(), "1"]  # after the date and time


def test_loads_made_before_the_store_kept_records_are_listed_from_the_file(tmp_path, config, store, monkeypatch):
    """A database written before the store kept load records (no id in the file, nothing in the store):
    every load is still listed, from the file, and the note says which; later loads come from the store,
    and an old load can still be rolled back (recorded in the store from then on)."""
    db_path = tmp_path / "w.duckdb"
    a = write_csv(tmp_path / "a.csv", A)
    b = write_csv(tmp_path / "b.csv", B)
    with monkeypatch.context() as before:  # the loader of before: nothing recorded in the store
        before.setattr(history, "record", lambda *args, **kwargs: None)
        load_files([a], config, db_path=db_path, loaded_by="ann")
        load_files([b], config, db_path=db_path, loaded_by="bob")
    with duckdb.connect(str(db_path)) as con:  # as a file no load of this version wrote
        con.execute("DELETE FROM meta WHERE key = 'database_id'")
    old = recorded_history(db_path, open_backend(store))
    assert old.loads[["load_id", "file", "loaded_by", "source"]].values.tolist() == [
        [2, "b.csv", "bob", "database file"], [1, "a.csv", "ann", "database file"]]
    assert old.notes == ["Loads 1–2 are not in the store's load records (made before the store kept them, or while "
                         "it was not answering): shown from the database file's own history."]
    c = write_csv(tmp_path / "c.csv", C)
    load_files([c], config, db_path=db_path, loaded_by="dee")
    rollback(2, config, db_path=db_path, by="cy")
    now = recorded_history(db_path, open_backend(store)).loads.set_index("load_id")
    assert now[["file", "source", "status", "rolled_back_by"]].values.tolist() == [
        ["c.csv", "store", "loaded", None], ["b.csv", "database file", "rolled back", "cy"],
        ["a.csv", "database file", "loaded", None]]
    assert (now.loc[2, "rows_removed"], now.loc[2, "rows_restored"]) == (1, 1)  # the rollback's record: the store's
    assert [e[:3] for e in events(store)] == [("load", 3, "dee"), ("rollback", 2, "cy")]


def test_a_rollback_the_store_missed_is_taken_from_the_file(tmp_path, config, store, monkeypatch, capsys):
    db_path = tmp_path / "w.duckdb"
    three_loads_but_no_rollback = [write_csv(tmp_path / f"{n}.csv", rows) for n, rows in (("a", A), ("b", B))]
    for path in three_loads_but_no_rollback:
        load_files([path], config, db_path=db_path, loaded_by="ann")

    def store_down(*args, **kwargs):
        raise StoreError("the store is not answering")
    monkeypatch.setattr(history, "record", store_down)
    rollback(2, config, db_path=db_path, by="cy")  # lands: the database file is what is rolled back
    assert "the rollback landed but was not recorded in the store: the store is not answering" in capsys.readouterr().err
    recorded = recorded_history(db_path, open_backend(store))
    row = recorded.loads.set_index("load_id").loc[2]
    assert (row["source"], row["status"], row["rolled_back_by"]) == ("store", "rolled back", "cy")
    assert recorded.notes == ["Load 2 was rolled back while the store was not answering: when and by whom are the "
                              "database file's."]


def test_a_rebuilt_database_does_not_inherit_the_old_ones_loads(tmp_path, config, store):
    db_path = tmp_path / "w.duckdb"
    three_loads(tmp_path, config, db_path)
    first = database_id(db_path)
    frame = pd.DataFrame(C, columns=COLUMNS)
    frame["period"], frame["value"] = pd.to_datetime(frame["period"]).dt.date, frame["value"].astype(float)
    load_frame(frame, config, db_path=db_path, name="rebuilt", fresh=True, loaded_by="eve")
    assert database_id(db_path) not in (None, first)
    recorded = recorded_history(db_path, open_backend(store))
    assert recorded.loads[["load_id", "file", "loaded_by", "source"]].values.tolist() == [[1, "rebuilt", "eve", "store"]]
    assert recorded.notes == []


def test_an_earlier_copy_put_back_lists_the_loads_it_lacks(tmp_path, config, store):
    """A copy of the file from before load 2, put back: the store still lists load 2 (it happened), says it
    is not in the file, and offers nothing of it to roll back; the next load, numbered 2 again, is told
    apart by its file's checksum."""
    db_path = tmp_path / "w.duckdb"
    load_files([write_csv(tmp_path / "a.csv", A)], config, db_path=db_path, loaded_by="ann")
    shutil.copyfile(db_path, tmp_path / "backup.duckdb")
    load_files([write_csv(tmp_path / "b.csv", B)], config, db_path=db_path, loaded_by="bob")
    shutil.copyfile(tmp_path / "backup.duckdb", db_path)
    recorded = recorded_history(db_path, open_backend(store))
    assert recorded.loads[["load_id", "file", "status"]].values.tolist() == [
        [2, "b.csv", "not in the database file"], [1, "a.csv", "loaded"]]
    assert recorded.notes == ["Load 2 is recorded in the store but not in this database file (an earlier copy of "
                              "the file put back?): listed, but there is nothing of them to roll back."]
    with pytest.raises(LoadError, match="there is no load 2"):
        rollback(2, config, db_path=db_path, by="cy")
    load_files([write_csv(tmp_path / "c.csv", C)], config, db_path=db_path, loaded_by="dee")
    again = recorded_history(db_path, open_backend(store)).loads
    assert sorted(again[["load_id", "file", "status"]].values.tolist()) == [
        [1, "a.csv", "loaded"], [2, "b.csv", "not in the database file"], [2, "c.csv", "loaded"]]


def test_a_store_not_answering_leaves_the_files_own_history(tmp_path, config, store):
    db_path = tmp_path / "w.duckdb"
    three_loads(tmp_path, config, db_path)
    down = open_backend("postgresql://workforce@127.0.0.1:9/nowhere")  # the discard port: nothing listens
    recorded = recorded_history(db_path, down)
    assert recorded.loads[["load_id", "file", "status", "rolled_back_by", "source"]].values.tolist() == [
        [3, "c.csv", "loaded", None, "database file"], [2, "b.csv", "rolled back", "cy", "database file"],
        [1, "a.csv", "loaded", None, "database file"]]
    assert recorded.notes == ["the store (PostgreSQL at 127.0.0.1:9) is not answering: the history below is the "
                              "database file's own (without the machine or data generation of each load)."]


def test_ranges_of_loads_in_words():
    assert history._loads([4])["loads"] == "Load 4"
    assert history._loads([7, 1, 2, 3, 9, 10])["loads"] == "Loads 1–3, 7 and 9–10"
    assert history._loads([1, 3]) == {"loads": "Loads 1 and 3", "is": "are", "was": "were"}
