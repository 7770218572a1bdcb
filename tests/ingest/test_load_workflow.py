"""The audited workflow: dry runs write nothing, history records every load, rollback restores the
exact values a load replaced (and refuses when a later load changed them), the checks that need
the database, failures and concurrent loads leave the live file as it was."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tests.conftest import ALL, NURSES, ROOT, write_csv
from workforce.ingest.loader import LoadError, LoadRejected, check_files, load_files, load_history, rollback

SAMPLES = ROOT / "data" / "samples"


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def value(path, org, measure, period, group=NURSES):
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute("SELECT value, load_id FROM fact WHERE org_code = ? AND measure = ? AND period = ? "
                          "AND staff_group = ? AND breakdown = ''", [org, measure, period, group]).fetchone()
    return row


def facts(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT * FROM fact ORDER BY ALL").fetchall()


def test_dry_run_writes_nothing_and_shows_old_to_new(tmp_path, fresh_db_path, config):
    before = checksum(fresh_db_path)
    source = write_csv(tmp_path / "fix.csv", [["2024-12", "RWG", NURSES, "", "", "leavers", "4"],
                                              ["2025-01", "RWG", NURSES, "", "", "leavers", "5"],
                                              ["2024-11", "RWG", NURSES, "", "", "leavers", "3"]])
    result = load_files([source], config, db_path=fresh_db_path, dry_run=True)
    report = result.files[0]
    assert (report.rows_new, report.rows_changed, report.rows_unchanged) == (1, 1, 1)
    assert report.changes[["row_no", "old_value", "new_value"]].values.tolist() == [[2, 3.0, 4.0]]
    assert report.new_rows[["row_no", "value"]].values.tolist() == [[3, 5.0]]
    assert result.summary().startswith("Dry run — nothing written.")
    assert checksum(fresh_db_path) == before
    checks = check_files([source, SAMPLES / "template.csv"], config, db_path=fresh_db_path)
    assert [c.ok for c in checks] == [True, True] and checksum(fresh_db_path) == before


def test_history_records_each_load(tmp_path, fresh_db_path, config):
    load_files([SAMPLES / "nhsd_sickness.csv"], config, db_path=fresh_db_path, loaded_by="ann@example.nhs.uk")
    row = load_history(fresh_db_path).iloc[0]
    assert row["file"] == "nhsd_sickness.csv" and row["format"] == "nhsd_sickness"
    assert row["sha256"] == hashlib.sha256((SAMPLES / "nhsd_sickness.csv").read_bytes()).hexdigest()
    assert (row["rows_in"], row["rows_loaded"], row["rows_rejected"], row["rows_skipped"], row["rows_missing"]) == \
        (8, 8, 0, 0, 2)  # R0A, outside config.yaml, is kept as a national peer
    assert row["loaded_by"] == "ann@example.nhs.uk" and row["status"] == "loaded"


def test_display_names_are_recorded_not_storage_names(tmp_path, fresh_db_path, config):
    stored = tmp_path / "upload-3f2a9c"
    stored.write_bytes((SAMPLES / "template.csv").read_bytes())
    result = load_files([stored], config, db_path=fresh_db_path, names=["March template.csv"])
    assert result.files[0].file == "March template.csv"
    assert load_history(fresh_db_path).iloc[0]["file"] == "March template.csv"


def test_rollback_restores_the_exact_old_values(tmp_path, fresh_db_path, config):
    original, figures = checksum(fresh_db_path), facts(fresh_db_path)
    first = write_csv(tmp_path / "a.csv", [["2024-12", "RWG", NURSES, "", "", "leavers", "4"],   # was 3 (load 1)
                                           ["2025-01", "RWG", NURSES, "", "", "leavers", "5"]])  # new
    load_files([first], config, db_path=fresh_db_path)
    assert value(fresh_db_path, "RWG", "leavers", "2024-12-01") == (4.0, 2)
    result = rollback(2, config, db_path=fresh_db_path, by="ann")
    assert (result.rows_removed, result.rows_restored) == (1, 1)
    assert value(fresh_db_path, "RWG", "leavers", "2024-12-01") == (3.0, 1)  # value and its load restored
    assert value(fresh_db_path, "RWG", "leavers", "2025-01-01") is None
    history = load_history(fresh_db_path).set_index("load_id")
    assert history.loc[2, "status"] == "rolled back" and history.loc[2, "rolled_back_by"] == "ann"
    assert facts(fresh_db_path) == figures  # every figure, with the load it came from, as before
    assert original != checksum(fresh_db_path)  # only the history changed
    # the same file can be loaded again after its rollback
    again = load_files([first], config, db_path=fresh_db_path)
    assert again.files[0].rows_loaded == 2 and again.files[0].load_id == 3


def test_rollback_refused_while_a_later_load_changed_its_figures(tmp_path, fresh_db_path, config):
    load_files([write_csv(tmp_path / "a.csv", [["2025-01", "RWG", NURSES, "", "", "leavers", "5"]])], config,
               db_path=fresh_db_path)
    load_files([write_csv(tmp_path / "b.csv", [["2025-01", "RWG", NURSES, "", "", "leavers", "6"]])], config,
               db_path=fresh_db_path)
    before = checksum(fresh_db_path)
    with pytest.raises(LoadError) as err:
        rollback(2, config, db_path=fresh_db_path)
    assert str(err.value) == ("load 2 (a.csv) cannot be rolled back: figures it loaded were changed since by "
                              "load 3 (b.csv, 1 figure), still in force. Roll back load 3 first.")
    assert checksum(fresh_db_path) == before
    rollback(3, config, db_path=fresh_db_path)
    assert value(fresh_db_path, "RWG", "leavers", "2025-01-01") == (5.0, 2)
    rollback(2, config, db_path=fresh_db_path)
    assert value(fresh_db_path, "RWG", "leavers", "2025-01-01") is None
    with pytest.raises(LoadError, match="load 2 \\(a.csv\\) was already rolled back on"):
        rollback(2, config, db_path=fresh_db_path)
    with pytest.raises(LoadError, match="there is no load 99"):
        rollback(99, config, db_path=fresh_db_path)


def test_rollback_dry_run_writes_nothing(tmp_path, fresh_db_path, config):
    load_files([SAMPLES / "nhsd_workforce_legacy.csv"], config, db_path=fresh_db_path)
    before = checksum(fresh_db_path)
    result = rollback(2, config, db_path=fresh_db_path, dry_run=True)
    assert (result.rows_removed, result.rows_restored, result.dry_run) == (12, 0, True)  # 8 + RWH's whole-org and R0A's
    assert checksum(fresh_db_path) == before


def test_whole_organisation_rows_are_stored_beside_held_staff_groups(tmp_path, fresh_db_path, config):
    # the fixture holds RWH headcount by staff group for 2024-12 (nurses 123, doctors 50); a whole-organisation
    # figure is stored beside them and never added to them (tests/measures/test_grains.py checks the KPIs)
    source = write_csv(tmp_path / "whole.csv", [["2024-12", "RWH", ALL, "", "", "headcount", "150"]])
    load_files([source], config, db_path=fresh_db_path)
    assert value(fresh_db_path, "RWH", "headcount", "2024-12-01", ALL)[0] == 150
    assert value(fresh_db_path, "RWH", "headcount", "2024-12-01", NURSES)[0] == 123


def test_leavers_above_headcount_held_in_the_database(tmp_path, fresh_db_path, config):
    source = write_csv(tmp_path / "lv.csv", [["2024-12", "RN7", NURSES, "", "", "leavers", "81"]])  # headcount 80
    with pytest.raises(LoadRejected) as err:
        load_files([source], config, db_path=fresh_db_path)
    assert ("lv.csv, row 2, column value: '81' leavers (81) is above headcount (80, held in the database from "
            "load 1), which is impossible") in str(err.value)


def test_breakdown_rows_adding_up_to_more_than_the_total(tmp_path, fresh_db_path, config):
    source = write_csv(tmp_path / "eth.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "100"],
                                              ["2025-01", "RWH", NURSES, "ethnicity", "White", "headcount", "80"],
                                              ["2025-01", "RWH", NURSES, "ethnicity", "Mixed", "headcount", "30"]])
    with pytest.raises(LoadRejected) as err:
        load_files([source], config, db_path=fresh_db_path)
    assert ("eth.csv, row 2, column value: '100' is less than its ethnicity rows add up to (110.0 over 2 rows, "
            "from row 3): the total and its breakdown disagree") in str(err.value)


def test_duplicates_future_months_and_suggestions(tmp_path, fresh_db_path, config):
    source = write_csv(tmp_path / "dup.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "100"],
                                              ["2025-01", "rwh ", NURSES, "", "", "headcount", "101"],
                                              ["2099-01", "RWH", "Nurses & Health Visitors", "", "", "headcount", "1"]])
    with pytest.raises(LoadRejected) as err:
        load_files([source], config, db_path=fresh_db_path)
    text = str(err.value)
    assert ("dup.csv, row 3, column period/org_code/staff_group/breakdown/measure: '2025-01 RWH Nurses & health "
            "visitors headcount' duplicate: the same figure is given more than once (first at row 2)") in text
    assert "dup.csv, row 4, column period: '2099-01' lies in the future" in text
    assert ("row 4, column staff_group: 'Nurses & Health Visitors' unknown staff group "
            "(did you mean 'Nurses & health visitors'?)") in text


def test_a_load_that_fails_while_writing_leaves_the_database_unchanged(tmp_path, fresh_db_path, config, monkeypatch):
    import workforce.ingest.loader as loader

    before = checksum(fresh_db_path)
    real = loader._apply

    def failing(*args, **kwargs):
        real(*args, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(loader, "_apply", failing)
    with pytest.raises(LoadError, match="could not be read \\(OSError: disk full\\)"):
        load_files([SAMPLES / "nhsd_turnover.csv"], config, db_path=fresh_db_path)
    assert checksum(fresh_db_path) == before
    assert not list(fresh_db_path.parent.glob("*.loading-*"))


def test_killed_rollback_leaves_the_database_unchanged(tmp_path, fresh_db_path, config):
    load_files([SAMPLES / "nhsd_workforce_2025.csv"], config, db_path=fresh_db_path)
    before = checksum(fresh_db_path)
    script = ("import time, workforce.ingest.loader as L\n"
              "from workforce.base.config import load_config\n"
              "real = L._run\n"
              "def slow(con, name, **k):\n"
              "    r = real(con, name, **k)\n"
              "    if name == 'ingest/rollback/rollback_mark':\n"
              "        print('marked', flush=True); time.sleep(30)\n"
              "    return r\n"
              "L._run = slow\n"
              f"L.rollback(2, load_config(), db_path={str(fresh_db_path)!r})\n")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "marked"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert checksum(fresh_db_path) == before
    assert rollback(2, config, db_path=fresh_db_path).rows_removed == 6  # 4 staff groups, RQW's whole-org FTE, RJ1


@pytest.mark.slow
def test_two_loads_at_once_the_second_waits_and_neither_corrupts(tmp_path, fresh_db_path, config):
    slow = ("import sys, time, workforce.ingest.loader as L\n"
            "from workforce.base.config import load_config\n"
            "real = L._apply\n"
            "def slow(*a, **k):\n    print('applying', flush=True); time.sleep(2); real(*a, **k)\n"
            "L._apply = slow\n"
            f"L.load_files([sys.argv[1]], load_config(), db_path={str(fresh_db_path)!r})\n"
            "print('done', flush=True)\n")
    first = write_csv(tmp_path / "first.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "130"]])
    proc = subprocess.Popen([sys.executable, "-c", slow, str(first)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "applying"  # the first holds the writer lock
    with pytest.raises(LoadError, match="another load into copy.duckdb is in progress"):
        load_files([SAMPLES / "template.csv"], config, db_path=fresh_db_path, wait_seconds=0.3)
    started = time.monotonic()
    result = load_files([SAMPLES / "template.csv"], config, db_path=fresh_db_path, wait_seconds=30)  # waits
    assert time.monotonic() - started > 0.5 and proc.wait(timeout=30) == 0
    assert result.files[0].load_id == 3
    history = load_history(fresh_db_path)
    assert history["file"].tolist() == ["template.csv", "first.csv", "small.csv"]
    # the template's RWH nurses' headcount for 2025-01 (1210) replaced the first load's (130), with history
    assert value(fresh_db_path, "RWH", "headcount", "2025-01-01") == (1210.0, 3)
    with duckdb.connect(str(fresh_db_path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM fact WHERE load_id IN (2, 3)").fetchone()[0] == 10
        assert con.execute("SELECT old_value, old_load_id FROM fact_history WHERE load_id = 3").fetchall() == [(130.0, 2)]


def test_unknown_breakdowns_are_named(tmp_path, fresh_db_path, config):
    source = write_csv(tmp_path / "eq.csv", [["2025-01", "RWH", NURSES, "ethnicity", "Purple", "headcount", "5"],
                                             ["2025-01", "RWH", NURSES, "religion", "None", "headcount", "5"],
                                             ["2025-01", "RWH", NURSES, "sex", "Female", "headcount", "5"]])
    with pytest.raises(LoadRejected) as err:
        load_files([source], config, db_path=fresh_db_path)
    text = str(err.value)
    assert text.startswith("rejected: 2 problems")
    assert "eq.csv, row 2, column breakdown: 'ethnicity=Purple' unknown breakdown or breakdown value" in text
    assert "eq.csv, row 3, column breakdown: 'religion=None' unknown breakdown or breakdown value" in text
