"""`python -m workforce load / loads / rollback` through workforce.cli.main.main."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from tests.conftest import NURSES, ROOT, write_csv
from workforce.cli.main import main

SAMPLES = ROOT / "data" / "samples"
CONFIG = str(ROOT / "config.yaml")


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_load_dry_run_shows_changes_and_writes_nothing(tmp_path, fresh_db_path):
    before = checksum(fresh_db_path)
    fix = write_csv(tmp_path / "fix.csv", [["2024-12", "RWG", NURSES, "", "", "leavers", "4"],
                                           ["2025-01", "RWG", NURSES, "", "", "leavers", "5"]])
    code, out, err = cli("load", str(fix), "--dry-run", "--db", str(fresh_db_path), "--config", CONFIG)
    assert (code, err) == (0, "")
    assert out.startswith("Dry run — nothing written.\nfix.csv (template): 2 rows: 1 new, 1 changed, 0 unchanged")
    assert "Changed values in fix.csv (old → new)" in out
    changed, new = out.split("Changed values")[1].split("New figures in fix.csv")
    # read as people do: plain headings, the month in words, RWG's 3 nurse leavers in Dec 2024 becoming 4
    assert changed.splitlines()[1].split() == ["Row", "Month", "Organisation", "Staff", "group", "Breakdown", "Group",
                                               "Measure", "Old", "value", "New", "value"]
    assert changed.splitlines()[2].split() == ["2", "Dec", "2024", "RWG", "Nurses", "&", "health", "visitors",
                                               "Leavers", "from", "the", "organisation", "3", "4"]  # config's name
    assert new.splitlines()[2].split()[:3] == ["3", "Jan", "2025"] and "NaN" not in out and "00:00:00" not in out
    assert checksum(fresh_db_path) == before


def test_load_with_a_named_format_and_history_as_json(tmp_path, fresh_db_path):
    code, out, _ = cli("load", str(SAMPLES / "nhsd_sickness.csv"), "--format", "nhsd_sickness", "--by", "ann",
                       "--db", str(fresh_db_path), "--config", CONFIG)
    assert code == 0 and "nhsd_sickness.csv (nhsd_sickness): 4 file rows → 8 figures: 8 new" in out and "— load 2" in out
    code, out, _ = cli("loads", "--format", "json", "--db", str(fresh_db_path), "--config", CONFIG)
    records = json.loads(out)
    assert code == 0 and [r["load_id"] for r in records] == [2, 1]
    latest = records[0]
    assert {k: latest[k] for k in ("file", "format", "rows_loaded", "status", "loaded_by", "rows_skipped")} == {
        "file": "nhsd_sickness.csv", "format": "nhsd_sickness", "rows_loaded": 8, "status": "loaded",
        "loaded_by": "ann", "rows_skipped": 0}  # R0A, outside config.yaml, is kept as a national peer
    assert latest["loaded_at"][:4].isdigit() and "T" in latest["loaded_at"] and latest["rolled_back_at"] is None
    code, out, _ = cli("loads", "--db", str(fresh_db_path), "--config", CONFIG)
    assert code == 0 and "nhsd_sickness.csv nhsd_sickness" in out


def test_wrong_format_and_unrecognised_file_are_clear_errors(tmp_path, fresh_db_path):
    code, out, err = cli("load", str(SAMPLES / "template.csv"), "--format", "levy", "--db", str(fresh_db_path),
                         "--config", CONFIG)
    assert code == 2 and out == ""
    assert err.startswith("error: template.csv: not in the levy format (Apprenticeship levy account statement)")
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, err = cli("load", str(odd), "--db", str(fresh_db_path), "--config", CONFIG)
    assert code == 2 and "odd.csv: not a recognised format" in err and "levy" in err
    assert err.rstrip().endswith("name it: --format NAME.")  # the command line's own way to name a format
    assert "Traceback" not in err


def test_rejected_file_lists_problems_and_exits_non_zero(tmp_path, fresh_db_path):
    before = checksum(fresh_db_path)
    bad = write_csv(tmp_path / "bad.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "-3"]])
    code, out, err = cli("load", str(bad), "--db", str(fresh_db_path), "--config", CONFIG)
    assert code == 2 and out == ""
    assert "error: rejected: 1 problem; nothing was loaded" in err
    assert "bad.csv, row 2, column value: '-3' is negative" in err
    assert checksum(fresh_db_path) == before


@pytest.mark.slow
def test_rollback_command(tmp_path, fresh_db_path):
    first = write_csv(tmp_path / "a.csv", [["2025-01", "RWG", NURSES, "", "", "leavers", "5"]])
    second = write_csv(tmp_path / "b.csv", [["2025-01", "RWG", NURSES, "", "", "leavers", "6"]])
    assert cli("load", str(first), "--db", str(fresh_db_path), "--config", CONFIG)[0] == 0
    assert cli("load", str(second), "--db", str(fresh_db_path), "--config", CONFIG)[0] == 0
    code, _, err = cli("rollback", "2", "--db", str(fresh_db_path), "--config", CONFIG)
    assert code == 2 and "Roll back load 3 first" in err
    code, out, _ = cli("rollback", "3", "--dry-run", "--db", str(fresh_db_path), "--config", CONFIG)
    assert code == 0 and "would restore 1 figures" in out
    code, out, _ = cli("rollback", "3", "--by", "ann", "--db", str(fresh_db_path), "--config", CONFIG)
    assert code == 0 and out.strip() == ("load 3 (b.csv): removed 0 figures it added, restored 1 figures it had "
                                         "replaced; marked 'rolled back'")
    records = json.loads(cli("loads", "--format", "json", "--db", str(fresh_db_path), "--config", CONFIG)[1])
    assert (records[0]["status"], records[0]["rolled_back_by"]) == ("rolled back", "ann")
