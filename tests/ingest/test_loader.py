"""Loading is whole or nothing, idempotent, never in place, and refuses bad files clearly."""

import hashlib
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest
from openpyxl import Workbook

from tests.conftest import COLUMNS, NURSES, ROOT, write_csv
from workforce.base.config import load_config
from workforce.base.db import Database
from workforce.ingest.loader import LoadError, LoadRejected, load_files, load_history


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fact_count(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM fact").fetchone()[0]


def test_same_file_twice_changes_nothing(tmp_path, fresh_db_path, config):
    source = write_csv(tmp_path / "jan.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "130"]])
    first = load_files([source], config, db_path=fresh_db_path)
    assert (first.files[0].rows_new, first.files[0].load_id) == (1, 2)
    before = checksum(fresh_db_path)
    second = load_files([source], config, db_path=fresh_db_path)
    assert second.files[0].already_loaded_as == 2
    assert checksum(fresh_db_path) == before


def test_corrected_file_replaces_only_its_own_keys(tmp_path, fresh_db_path, config):
    rows_before = fact_count(fresh_db_path)
    fix = write_csv(tmp_path / "fix.csv", [["2024-12", "RWG", NURSES, "", "", "leavers", "4"]])
    dry = load_files([fix], config, db_path=fresh_db_path, dry_run=True)
    assert (dry.files[0].rows_changed, dry.files[0].rows_new) == (1, 0)
    assert dry.files[0].changes[["old_value", "new_value"]].values.tolist() == [[3.0, 4.0]]
    result = load_files([fix], config, db_path=fresh_db_path)
    assert result.files[0].rows_changed == 1
    assert fact_count(fresh_db_path) == rows_before
    with duckdb.connect(str(fresh_db_path), read_only=True) as con:
        assert con.execute("SELECT value FROM fact WHERE org_code='RWG' AND measure='leavers' "
                           "AND period='2024-12-01' AND staff_group=?", [NURSES]).fetchone()[0] == 4
        history = con.execute("SELECT old_value, existed FROM fact_history WHERE load_id = 2").fetchall()
    assert history == [(3.0, True)]


def test_bad_file_rejected_whole_with_row_and_column(tmp_path, fresh_db_path, config):
    before = checksum(fresh_db_path)
    bad = write_csv(tmp_path / "bad.csv", [
        ["2025-01", "RWH", NURSES, "", "", "headcount", "130"],   # fine on its own
        ["2025-01", "RWH", NURSES, "", "", "leavers", "400"],     # above headcount
        ["2025-1x", "RWX1", "Nurses", "", "", "leaverz", "ten"],
    ])
    with pytest.raises(LoadRejected) as err:
        load_files([bad], config, db_path=fresh_db_path)
    text = str(err.value)
    assert "bad.csv, row 3, column value: '400' leavers (400) is above headcount (130, row 2)" in text
    assert "bad.csv, row 4, column org_code: 'RWX1' unknown organisation code (did you mean 'RWX'?)" in text
    assert "row 4, column measure: 'leaverz' unknown measure (did you mean 'leavers'?)" in text
    assert "row 4, column period: '2025-1x' is not a month" in text
    assert "row 4, column value: 'ten' is not a number" in text
    assert checksum(fresh_db_path) == before


def test_one_bad_file_stops_the_good_one(tmp_path, fresh_db_path, config):
    before = checksum(fresh_db_path)
    good = write_csv(tmp_path / "good.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "130"]])
    bad = write_csv(tmp_path / "bad.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "-1"]])
    with pytest.raises(LoadRejected, match="is negative"):
        load_files([good, bad], config, db_path=fresh_db_path)
    assert checksum(fresh_db_path) == before


def test_suppressed_cells_are_missing_not_zero(tmp_path, fresh_db_path, config):
    source = write_csv(tmp_path / "s.csv", [
        ["2025-01", "RWH", NURSES, "", "", "leavers", "*"],
        ["2025-01", "RWG", NURSES, "", "", "leavers", ""],
    ])
    report = load_files([source], config, db_path=fresh_db_path).files[0]
    assert report.rows_missing == 2
    with duckdb.connect(str(fresh_db_path), read_only=True) as con:
        values = con.execute("SELECT value FROM fact WHERE period = '2025-01-01'").fetchall()
    assert values == [(None,), (None,)]


def test_wrong_layout_and_not_a_csv(tmp_path, fresh_db_path, config):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("date,org,amount\n2025-01,RWH,3\n")
    # 'date' is a sickness file's month column: that format comes closest, and what it lacks is named
    with pytest.raises(LoadError, match=r"closest to .* \(nhsd_sickness\), which also needs: org_code"):
        load_files([wrong], config, db_path=fresh_db_path)
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"PK\x03\x04not really a zip")
    with pytest.raises(LoadError, match="not a readable XLSX"):
        load_files([binary], config, db_path=fresh_db_path)
    with pytest.raises(LoadError, match="no such file"):
        load_files([tmp_path / "missing.csv"], config, db_path=fresh_db_path)


def test_xlsx_template(tmp_path, fresh_db_path, config):
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append(["2025-02", "RWH", NURSES, None, None, "headcount", 131])
    sheet.append(["2025-02", "RWH", NURSES, "ethnicity", "White", "headcount", 101])
    book.save(tmp_path / "feb.xlsx")
    report = load_files([tmp_path / "feb.xlsx"], config, db_path=fresh_db_path).files[0]
    assert (report.rows_in, report.rows_new) == (2, 2)


def test_new_database_is_created(tmp_path, config):
    source = write_csv(tmp_path / "one.csv", [["2025-01", "RN7", NURSES, "", "", "headcount", "80"]])
    target = tmp_path / "sub" / "new.duckdb"
    load_files([source], config, db_path=target)
    assert fact_count(target) == 1
    history = load_history(target)
    assert history.loc[0, ["file", "rows_loaded", "status"]].tolist() == ["one.csv", 1, "loaded"]


def test_reader_keeps_serving_and_sees_the_swap(tmp_path, fresh_db_path, config):
    reader = Database(fresh_db_path)
    before = reader.query("measures/latest_period", {"orgs": ["RWH"]})["period"].iloc[0]
    source = write_csv(tmp_path / "next.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "130"]])
    load_files([source], config, db_path=fresh_db_path)  # the reader holds the old file open meanwhile
    after = reader.query("measures/latest_period", {"orgs": ["RWH"]})["period"].iloc[0]
    assert str(before)[:7] == "2024-12" and str(after)[:7] == "2025-01"


@pytest.mark.slow
def test_killed_load_leaves_the_live_database_unchanged(tmp_path, fresh_db_path):
    rows = [[f"{2000 + i // 12:04d}-{i % 12 + 1:02d}", "RWH", NURSES, "", "", "headcount", str(i)]
            for i in range(300)]
    big = write_csv(tmp_path / "big.csv", rows)
    before = checksum(fresh_db_path)
    script = ("import sys, time, workforce.ingest.loader as L\n"
              "from workforce.base.config import load_config\n"
              "real = L._apply\n"
              "def slow(*a, **k):\n    real(*a, **k); print('applied', flush=True); time.sleep(30)\n"
              "L._apply = slow\n"
              f"L.load_files([{str(big)!r}], load_config(), db_path={str(fresh_db_path)!r})\n")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "applied"  # mid-load: changes made in the work copy
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert checksum(fresh_db_path) == before
    # the orphaned work file is cleared by the next load, which succeeds
    source = write_csv(tmp_path / "after.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "130"]])
    load_files([source], load_config(), db_path=fresh_db_path)
    assert not list(fresh_db_path.parent.glob("*.loading-*"))


def test_second_writer_is_refused_clearly(tmp_path, fresh_db_path, config):
    import fcntl
    lock = open(fresh_db_path.with_name(fresh_db_path.name + ".lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        source = write_csv(tmp_path / "x.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "130"]])
        started = time.monotonic()
        with pytest.raises(LoadError, match="another load .* is in progress"):
            load_files([source], config, db_path=fresh_db_path, wait_seconds=0.5)
        assert time.monotonic() - started < 5
    finally:
        lock.close()
