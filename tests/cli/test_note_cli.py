"""`note add` / `note list` on both store back ends (issue 20, item 3): versions kept, roles and scope
respected with --as-user, 400 concurrent writers all kept, and an old SQLite store upgraded in place."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

import pytest
import yaml

from tests.conftest import ROOT

pytestmark = pytest.mark.slow   # every test runs the command line in child processes
from tests.store.store_fixtures import pg_server, pg_url, store_env, store_target, workforce  # noqa: F401

ADMIN = "workforce.analytics@example.nhs.uk"    # config.yaml: admin by email
VIEWER = "ann@nhs.net"                          # config.yaml: viewer by domain, RWH only
SCOPED_EDITOR = "ed@rwh.example.nhs.uk"         # added below: editor, RWH only


def notes(target, *extra: str, config=None) -> list[dict]:
    done = workforce(target, "note", "list", "--format", "json", *extra, config=config)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_versions_kept_current_is_the_last(store_target):
    for text, who in (("Agency use rose", ["--as-user", ADMIN]), ("Bank staff instead", []),
                      ("Back under target", ["--as-user", ADMIN])):
        done = workforce(store_target, "note", "add", "--kpi", "agency_spend_pct", "--period", "2026-10",
                         "--org", "RWH", "--text", text, *who)
        assert done.returncode == 0, done.stderr
    current = notes(store_target)
    assert [(n["kpi"], n["scope"], n["month"], n["what_happened"]) for n in current] == [
        ("agency_spend_pct", "org:RWH", "2026-10", "Back under target")]
    history = notes(store_target, "--all")
    assert [(n["version"], n["what_happened"], n["written_by"]) for n in history] == [
        (1, "Agency use rose", ADMIN), (2, "Bank staff instead", f"{_os_user()} (command line)"),
        (3, "Back under target", ADMIN)]


def _os_user() -> str:
    import getpass

    return getpass.getuser()


@pytest.fixture
def scoped_config(tmp_path):
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    data["access"]["rules"].insert(0, {"role": "editor", "emails": [SCOPED_EDITOR], "organisations": ["RWH"]})
    for key in ("path", "store_path"):
        data["database"][key] = str(ROOT / data["database"][key])
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_roles_and_scope_with_as_user(store_target, scoped_config):
    def add(who, *where):
        return workforce(store_target, "note", "add", "--kpi", "turnover_rate_12m", "--period", "2026-10",
                         *where, "--text", f"by {who}", "--as-user", who, config=scoped_config)

    refused = add(VIEWER, "--org", "RWH")
    assert refused.returncode == 2 and "does not allow writing commentary" in refused.stderr
    stranger = add("nobody@example.com", "--org", "RWH")
    assert stranger.returncode == 2 and "--as-user" in stranger.stderr
    assert add(SCOPED_EDITOR, "--org", "RWH").returncode == 0
    other = add(SCOPED_EDITOR, "--org", "RWG")
    assert other.returncode == 2 and "has no access" in other.stderr
    essex = add(SCOPED_EDITOR, "--ics", "E54000066")   # RQW alone: refused to an RWH user in every month
    assert essex.returncode == 2 and "has no access" in essex.stderr
    assert add(ADMIN, "--org", "RWG").returncode == 0
    assert {n["scope"] for n in notes(store_target, config=scoped_config)} == {"org:RWH", "org:RWG"}
    mine = notes(store_target, "--all", "--as-user", SCOPED_EDITOR, config=scoped_config)
    assert [(n["scope"], n["what_happened"]) for n in mine] == [("org:RWH", f"by {SCOPED_EDITOR}")]


def test_bad_input_is_one_clear_line(store_target):
    for args, said in ((["--kpi", "turnoverr", "--period", "2026-10"], "--kpi: unknown KPI 'turnoverr'"),
                       (["--kpi", "turnover_rate_12m", "--period", "2026-13"], "2026-13"),
                       (["--kpi", "turnover_rate_12m", "--period", "2026-10", "--org", "XXX"], "unknown organisation")):
        done = workforce(store_target, "note", "add", *args, "--text", "x")
        assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr
    assert notes(store_target) == []


DRIVER = """
import argparse, io, sys, threading, time
from workforce.cli import note
from workforce.base.config import load_config
from workforce.base.store_backend import StoreUnavailable
parser = argparse.ArgumentParser()
note.add_parsers(parser.add_subparsers(dest="command"), lambda p: p.add_argument("--config"),
                 lambda p: p.add_argument("--as-user"))
config, (first, count) = load_config(), map(int, sys.argv[1:])
codes, retried = [], []
def call(i):
    args = parser.parse_args(["note", "add", "--kpi", "sickness_absence_rate", "--period", "2026-09",
                              "--ics", "ENG", "--text", f"writer {i}"])
    for attempt in range(5):
        try:
            codes.append(note.run(args, config, io.StringIO()))
            return
        except StoreUnavailable as exc:  # busy for longer than a wait: nothing written, try again, as it says
            error = exc
            retried.append(f"writer {i}: {exc}")
            time.sleep(1)
        except Exception as exc:
            error = exc
            break
    codes.append(error)
    print(f"writer {i}: {error!r}", file=sys.stderr)
threads = [threading.Thread(target=call, args=(i,)) for i in range(first, first + count)]
[t.start() for t in threads]
[t.join() for t in threads]
print(*retried, sep="\\n")
print(sum(c == 0 for c in codes))
"""


def test_400_concurrent_writers_all_kept(store_target):
    """Two writers on the same commentary at once: both versions kept. 40 processes × 10 threads each
    run `note add` (the command's own code, without the rest of the CLI's imports) on one commentary at
    the same time; every one of the 400 versions must be listed. All 400 queue on one commentary, and
    a writer waits at most PostgresBackend.WAIT for a connection (its process's 8 are all queued, or the
    server is full): on a machine loaded enough that the queue ahead takes longer, the store says it is
    busy and nothing was written — retryable, so the writer tries again, as a person would."""
    started = time.monotonic()
    processes = [subprocess.Popen([sys.executable, "-c", DRIVER, str(p * 10), "10"], cwd=ROOT,
                                  env=store_env(store_target), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for p in range(40)]
    written, retried = 0, []
    for process in processes:
        out, err = process.communicate(timeout=600)
        *retries, count = out.split("\n")[:-1] or [""]
        retried += [r for r in retries if r]
        assert process.returncode == 0 and not err, f"{err}\nafter {time.monotonic() - started:.0f} s; {retries}"
        written += int(count)
    assert written == 400, retried
    history = notes(store_target, "--all")
    assert sorted(n["what_happened"] for n in history) == sorted(f"writer {i}" for i in range(400)), retried
    assert sorted(n["version"] for n in history) == list(range(1, 401))
    current = notes(store_target)
    assert len(current) == 1 and current[0]["what_happened"] == history[-1]["what_happened"]
    assert all("is busy" in r for r in retried), retried  # the only retries: waits for a connection


def test_old_sqlite_store_upgraded_in_place(tmp_path):
    """A store made before versions (the three original tables, no schema_version) keeps its commentary,
    gets it as version 1, and the next save is version 2."""
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    for name in ("001_commentary", "002_intervention", "003_audit"):
        con.execute((ROOT / "queries" / "store" / "schema" / f"{name}.sqlite.sql").read_text())
    con.execute("INSERT INTO commentary (kpi, scope, month, what_happened, created_at, created_by, updated_at, "
                "updated_by) VALUES ('sickness_absence_rate', 'ENG', '2026-08', 'Flu season early', "
                "'2026-09-01T10:00:00+00:00', 'Jo', '2026-09-01T10:00:00+00:00', 'Jo')")
    con.commit()
    con.close()
    assert workforce(path, "note", "add", "--kpi", "sickness_absence_rate", "--period", "2026-08", "--ics", "ENG",
                     "--text", "Flu season over").returncode == 0
    history = notes(path, "--all")
    assert [(n["version"], n["what_happened"], n["written_by"]) for n in history] == [
        (1, "Flu season early", "Jo"), (2, "Flu season over", f"{_os_user()} (command line)")]
    versions = sqlite3.connect(path).execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert [v for (v,) in versions] == sorted({int(p.name.split("_")[0]) for p in
                                               (ROOT / "queries" / "store" / "schema").glob("*.sql")})
