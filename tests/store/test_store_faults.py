"""Faults of the PostgreSQL store (issue 20, item 6), on a real server: restarted mid-session, writes get
a clear, retryable message and nothing is half written; the cluster-wide writer lock makes a load wait
for one from another machine, and a load whose lock was lost is not swapped in."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import ROOT, small_rows, write_csv
from tests.store.store_fixtures import pg_ctl, pg_server, pg_url, store_env, workforce  # noqa: F401

pytestmark = pytest.mark.cluster


def add(url: str, text: str) -> subprocess.CompletedProcess:
    return workforce(url, "note", "add", "--kpi", "vacancy_rate", "--period", "2026-10", "--ics", "ENG",
                     "--text", text)


def counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as con:
        return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # fixed table names
                for table in ("commentary", "commentary_version", "audit")}


def test_postgres_restart_mid_session(pg_server, pg_url):
    _, state = pg_server
    assert add(pg_url, "before").returncode == 0
    pg_ctl(state, "stop", "-m", "immediate")      # a crash, as far as the store can tell
    try:
        down = add(pg_url, "while down")
        assert down.returncode == 2
        assert "is not answering" in down.stderr and "nothing was saved" in down.stderr
        assert "Try again" in down.stderr and "Traceback" not in down.stderr
    finally:
        pg_ctl(state, "start")
    assert add(pg_url, "after").returncode == 0      # the same command works again: retryable
    texts = [n for n in _versions(pg_url)]
    assert texts == ["before", "after"]
    assert counts(pg_url) == {"commentary": 1, "commentary_version": 2, "audit": 2}


def test_restart_during_concurrent_writes_leaves_no_half_write(pg_server, pg_url):
    """Twenty writers; PostgreSQL restarts (immediate) while they write. Each writer either succeeded
    (its version listed, with its audit row) or was told to try again (nothing of it stored)."""
    _, state = pg_server
    assert add(pg_url, "first").returncode == 0
    results: dict[int, subprocess.CompletedProcess] = {}

    def writer(i: int) -> None:
        time.sleep(i * 0.05)
        results[i] = add(pg_url, f"writer {i}")

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(20)]
    [t.start() for t in threads]
    time.sleep(1.2)
    pg_ctl(state, "restart", "-m", "immediate")
    [t.join() for t in threads]
    stored = set(_versions(pg_url))
    for i, done in results.items():
        if done.returncode == 0:
            assert f"writer {i}" in stored
        else:
            assert done.returncode == 2 and "Try again" in done.stderr, done.stderr
            assert f"writer {i}" not in stored
    wrote = 1 + sum(d.returncode == 0 for d in results.values())
    assert counts(pg_url) == {"commentary": 1, "commentary_version": wrote, "audit": wrote}


def _versions(url: str) -> list[str]:
    import json

    done = workforce(url, "note", "list", "--all", "--format", "json")
    assert done.returncode == 0, done.stderr
    return [n["what_happened"] for n in json.loads(done.stdout)]


# ---------------------------------------------------------------- the cluster-wide writer lock
@pytest.fixture
def live_db(tmp_path, small_db_path):
    path = tmp_path / "live.duckdb"
    shutil.copyfile(small_db_path, path)
    return path


def _correction(tmp_path):
    return write_csv(tmp_path / "fix.csv", [r for r in small_rows() if r[0] == "2024-12" and r[5] == "leavers"][:1])


def _hold_lock(url: str, db_name: str):
    import psycopg

    from workforce.base.store_backend import lock_key

    con = psycopg.connect(url, autocommit=True)
    assert con.execute("SELECT pg_try_advisory_lock(%s)", (lock_key(db_name),)).fetchone()[0]
    return con


def test_load_waits_for_a_load_on_another_machine(pg_url, live_db, tmp_path):
    """Another machine's load holds the lock: ours waits (the live file untouched), then lands."""
    before = live_db.read_bytes()
    other = _hold_lock(pg_url, live_db.name)
    fix = _correction(tmp_path)
    fix.write_text(fix.read_text().replace(",2\r\n", ",4\r\n").replace(",2\n", ",4\n"))
    load = subprocess.Popen([sys.executable, "-m", "workforce", "load", str(fix), "--db", str(live_db)],
                            cwd=ROOT, env=store_env(pg_url), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    time.sleep(4)
    assert load.poll() is None and live_db.read_bytes() == before   # waiting for the lock
    other.close()                                                   # the other machine's load ends
    out, err = load.communicate(timeout=120)
    assert load.returncode == 0, err
    assert live_db.read_bytes() != before
    import psycopg

    with psycopg.connect(pg_url) as con:
        (action, database), = con.execute("SELECT action, database FROM load_event").fetchall()
    assert action == "load" and database.endswith("live.duckdb")


def test_lock_lost_before_the_swap_changes_nothing(pg_server, pg_url, live_db, monkeypatch):
    """PostgreSQL ends the lock's session during a load (a restart): the new file is not swapped in,
    the live file is exactly as it was, and the message says to try again."""
    import psycopg

    from workforce.ingest import writer
    from workforce.ingest.writer import LoadError
    from workforce.base.store_backend import open_backend

    before = live_db.read_bytes()
    backend = open_backend(pg_url)
    with pytest.raises(LoadError, match="writer lock was lost.*try again"):
        with writer.connection(live_db, write=True, lock=backend.writer_lock) as con:
            con.execute("CREATE TABLE marker AS SELECT 1 AS x")
            with psycopg.connect(pg_url, autocommit=True) as admin:   # end every other session
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE pid <> pg_backend_pid() AND datname = current_database()")
    assert live_db.read_bytes() == before
    assert not list(live_db.parent.glob("*.loading-*"))


def test_a_replica_reads_again_after_a_restart(pg_server, pg_url):
    """A long-running process (a replica) keeps connections open; after PostgreSQL restarts, its next
    read is answered on a new connection, not refused."""
    from workforce.store.records import Store

    _, state = pg_server
    store = Store(pg_url)
    assert add(pg_url, "kept").returncode == 0
    assert [c.what_happened for c in store.commentary_list()] == ["kept"]   # a pooled connection now
    pg_ctl(state, "restart", "-m", "fast")
    assert [c.what_happened for c in store.commentary_list()] == ["kept"]
    assert store.version() == 1


def test_a_connection_limit_is_waited_for_not_reported_down(pg_url):
    """A full server is busy, not down, however PostgreSQL words it: here a role's CONNECTION LIMIT ("too
    many connections for role"), as a deployment's ordinary role meets the slots kept for superusers
    ("remaining connection slots are reserved"). A place freed within the wait is taken; none, and the
    message says busy."""
    import psycopg

    from workforce.base.store_backend import PostgresBackend, StoreUnavailable

    database = pg_url.rsplit("/", 1)[1]           # t_ and hex digits (store_fixtures.pg_url)
    role, owner = f"r_{database}", pg_url.split("://", 1)[1].split(":", 1)[0]
    limited = pg_url.replace(pg_url.split("://", 1)[1].split("@", 1)[0], f"{role}:limited")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'limited' CONNECTION LIMIT 1")
        admin.execute(f"ALTER DATABASE {database} OWNER TO {role}")  # it may create the store's tables
    try:
        held = psycopg.connect(limited)           # the role's one connection, in use
        threading.Timer(1.5, held.close).start()
        started = time.monotonic()
        backend = PostgresBackend(limited)
        backend.connect().close()                 # waited for the place instead of failing at once
        assert time.monotonic() - started >= 1.0
        held = psycopg.connect(limited)
        backend.WAIT = 1
        with pytest.raises(StoreUnavailable, match="is busy: every connection it allows is in use"):
            with backend.transaction():
                pass
        held.close()
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"ALTER DATABASE {database} OWNER TO {owner}")
            admin.execute(f"DROP ROLE {role}")
