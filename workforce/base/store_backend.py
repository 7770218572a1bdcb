"""Where the store's rows live: SQLite (the embedded default) or PostgreSQL (a cluster's shared store).

Both run the same SQL files (queries/store/*.sql, written where the dialects agree, with `:name`
parameters; PostgreSQL's driver gets them as `%(name)s`). Schema changes are numbered files in
queries/store/schema/, one statement each, applied in order, each in its own transaction with its
`schema_version` row: `NNN_name.sql` for both dialects, or `NNN_name.sqlite.sql` and
`NNN_name.postgresql.sql` where they differ (identity columns). The writer lock is the loader's file lock on SQLite
and a PostgreSQL advisory lock on PostgreSQL, so a load from any machine of a cluster waits for one
from any other.

A store that cannot be reached (PostgreSQL restarting, the network down) raises StoreUnavailable:
the transaction was rolled back by the server, so nothing is half written, and the message says to
try again.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from .db import QUERIES, sql

SCHEMA = QUERIES / "store" / "schema"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class StoreError(ValueError):
    """A change the store refuses, with a plain message (shown to the user as is)."""


class StoreUnavailable(StoreError):
    """The store could not be reached; nothing was written. Retryable."""


def store_target(config) -> str | Path:
    """The configured store: WORKFORCE_STORE_URL, else store.url in config.yaml, else the SQLite file
    (WORKFORCE_STORE, else database.store_path)."""
    url = os.environ.get("WORKFORCE_STORE_URL") or config.store.url
    return url or Path(os.environ.get("WORKFORCE_STORE") or config.store_path)


def is_postgres(target: str | Path) -> bool:
    return str(target).startswith(POSTGRES_SCHEMES)


def open_backend(target: str | Path) -> "SQLiteBackend | PostgresBackend":
    """The back end for a store target: a postgresql:// URL, or the path of a SQLite file."""
    return PostgresBackend(str(target)) if is_postgres(target) else SQLiteBackend(Path(target))


def schema_files(dialect: str) -> list[tuple[int, Path]]:
    """(number, file) in order: `NNN_name.sql` for both dialects, `NNN_name.<dialect>.sql` for one."""
    chosen: dict[int, Path] = {}
    for path in SCHEMA.glob("*.sql"):
        parts = path.name.split(".")
        if len(parts) == 3 and parts[1] != dialect:
            continue
        number = int(path.name.split("_", 1)[0])
        if len(parts) == 3 or number not in chosen:
            chosen[number] = path
    return sorted(chosen.items())


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for an advisory lock named by text (the database file's name)."""
    return zlib.crc32(f"workforce-writer:{name}".encode()) - 2**31


class Connection:
    """One connection inside a transaction: run the store's named queries."""

    def __init__(self, raw, translate) -> None:
        self.raw, self._translate = raw, translate

    def execute(self, name: str, params: Mapping | None = None):
        return self.raw.execute(self._translate(sql(f"store/{name}")), dict(params or {}))

    def one(self, name: str, params: Mapping | None = None) -> dict | None:
        row = self.execute(name, params).fetchone()
        return None if row is None else dict(row)

    def all(self, name: str, params: Mapping | None = None) -> list[dict]:
        return [dict(r) for r in self.execute(name, params).fetchall()]


# ---------------------------------------------------------------- SQLite
class SQLiteBackend:
    dialect = "sqlite"
    _migrated: set[Path] = set()
    _migrating = threading.Lock()

    def __init__(self, path: Path):
        self.path = path

    def describe(self) -> str:
        return f"the store {self.path}"

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=15, isolation_level=None)  # transactions are ours
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA busy_timeout = 15000")
        return con

    def rows(self, name: str, params: Mapping | None = None) -> list[dict]:
        """Rows of a read query; none when the store does not exist yet (reading never creates it)."""
        if not self.path.exists():
            return []
        con = self._connect()
        try:
            return Connection(con, _same).all(name, params)
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc) or "no such column" in str(exc):  # a store not yet upgraded
                return []
            raise
        finally:
            con.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect()
        try:
            self._migrate(con)
            con.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock between writers
            try:
                yield Connection(con, _same)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"The change could not be saved: {exc}.") from None
        finally:
            con.close()

    def _migrate(self, con: sqlite3.Connection) -> None:
        key = self.path.resolve()
        if key in self._migrated:
            return
        with self._migrating:
            con.execute("PRAGMA journal_mode = WAL")
            for number, path in schema_files(self.dialect):
                con.execute("BEGIN IMMEDIATE")
                try:
                    _apply(Connection(con, _same), number, path)
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
            self._migrated.add(key)

    @contextlib.contextmanager
    def writer_lock(self, db_path: Path, wait_seconds: float) -> Iterator["HeldLock"]:
        """Nothing beyond the loader's own file lock (workforce.ingest.writer), which it always takes."""
        yield HeldLock()


def _same(text: str) -> str:
    return text


def _apply(conn: Connection, number: int, path: Path) -> None:
    """Apply one numbered schema file unless `schema_version` says it was (inside the caller's transaction)."""
    conn.execute("backend/schema_version_table")
    if conn.one("backend/schema_version_has", {"version": number}):
        return
    conn.raw.execute(path.read_text(encoding="utf-8"))
    conn.execute("backend/schema_version_add", {"version": number, "name": path.name.split(".")[0],
                                        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z")})


class HeldLock:
    """The writer lock, held. confirm() raises if it can no longer be vouched for."""

    def confirm(self) -> None:
        return None


# ---------------------------------------------------------------- PostgreSQL
_PARAM = re.compile(r"--[^\n]*|'(?:[^']|'')*'|::|:([A-Za-z_]\w*)|%")


def _pg_params(text: str) -> str:
    """`:name` → `%(name)s` outside string literals (and every % doubled), for psycopg. Comments go
    first: an apostrophe in one ("months' commentary") would otherwise open a literal that hides the
    parameters after it."""
    def swap(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith("--"):
            return ""
        if match.group(1):
            return f"%({match.group(1)})s"
        return token.replace("%", "%%")   # psycopg reads % everywhere, literals included
    return _PARAM.sub(swap, text)


# PostgreSQL's refusals for want of a connection slot (SQLSTATE 53300, which psycopg does not give for a
# refused connection): the server's max_connections, the slots kept for superusers, a role's or a
# database's CONNECTION LIMIT. A real deployment's role is no superuser, so it meets the second first.
FULL = ("too many clients", "too many connections", "remaining connection slots are reserved")


def _full(exc: Exception) -> bool:
    return any(words in str(exc) for words in FULL)


class _Pool:
    """A few open connections per process, reused: a page run or a CLI call does not pay for a new
    PostgreSQL session each time. One lent for a write is checked first (store/ping), so a connection
    broken by a server restart is replaced, not used; a read is not checked but tried again once on a
    new connection if it fails (reads change nothing). With the server down, connecting fails at once
    (no waiting in the background), and the caller says so."""

    def __init__(self, backend: "PostgresBackend"):
        self._backend, self._idle, self._lock = backend, [], threading.Lock()
        self._slots = threading.BoundedSemaphore(backend.POOL_SIZE)

    @contextlib.contextmanager
    def connection(self, check: bool):
        if not self._slots.acquire(timeout=self._backend.WAIT):
            raise StoreUnavailable(f"{self._backend.describe()} is busy (no free connection for "
                                   f"{self._backend.WAIT} s); nothing was saved or changed. Try again in a moment.")
        try:
            con = self._take(check)
            try:
                yield con
            finally:
                self._give(con)
        finally:
            self._slots.release()

    def _take(self, check: bool):
        import psycopg

        while True:
            with self._lock:
                con = self._idle.pop() if self._idle else None
            if con is None:
                return self._backend.connect(migrate=True)
            if not check:
                return con
            try:
                Connection(con, _pg_params).one("backend/ping")
                return con
            except psycopg.Error:
                con.close()

    def _give(self, con) -> None:
        from psycopg.pq import TransactionStatus

        if con.closed or con.broken or con.info.transaction_status != TransactionStatus.IDLE:
            con.close()
            return
        with self._lock:
            self._idle.append(con)


class PostgresBackend:
    dialect = "postgresql"
    _pools: dict[str, _Pool] = {}
    _migrated: set[str] = set()
    _shared = threading.Lock()
    LOCK_POLL = 0.2
    POOL_SIZE = 8     # connections per process: a replica's page runs, a CLI's threads
    WAIT = 60         # seconds a call waits for a free connection (writers of one commentary queue)

    def __init__(self, url: str):
        self.url = url

    def describe(self) -> str:
        from psycopg.conninfo import conninfo_to_dict

        info = conninfo_to_dict(self.url)
        return f"the store (PostgreSQL at {info.get('host', 'localhost')}:{info.get('port', 5432)})"

    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        state = "is busy: every connection it allows is in use" if _full(exc) else "is not answering"
        return StoreUnavailable(f"{self.describe()} {state} ({first}); nothing was saved or changed. "
                                "Try again in a moment.")

    def connect(self, migrate: bool = False):
        """A new session (autocommit: transactions are explicit), the schema brought up to date once
        per process."""
        import psycopg
        from psycopg.rows import dict_row

        deadline = time.monotonic() + self.WAIT
        while True:
            try:
                con = psycopg.connect(self.url, autocommit=True, row_factory=dict_row, connect_timeout=5)
                break
            except psycopg.OperationalError as exc:  # a full server is busy, not down: wait for a place
                if not _full(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.2)
        if migrate and self.url not in self._migrated:
            self._migrate(con)
            self._migrated.add(self.url)
        return con

    def _migrate(self, con) -> None:
        """The numbered schema files not yet applied, each in its own transaction, serialised across
        the cluster by an advisory lock."""
        for number, path in schema_files(self.dialect):
            with con.transaction():
                conn = Connection(con, _pg_params)
                conn.execute("backend/schema_lock")
                _apply(conn, number, path)

    @contextlib.contextmanager
    def _connection(self, check: bool = True):
        import psycopg

        with self._shared:
            pool = self._pools.setdefault(self.url, _Pool(self))
        try:
            with pool.connection(check) as con:
                yield con
        except psycopg.OperationalError as exc:
            raise self._unavailable(exc) from None

    def rows(self, name: str, params: Mapping | None = None) -> list[dict]:
        try:
            with self._connection(check=False) as con:
                return Connection(con, _pg_params).all(name, params)
        except StoreUnavailable:  # perhaps a connection the server dropped (restart): once more, afresh
            with self._connection(check=True) as con:
                return Connection(con, _pg_params).all(name, params)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        import psycopg

        with self._connection() as con:
            try:
                with con.transaction():
                    yield Connection(con, _pg_params)
            except psycopg.IntegrityError as exc:
                raise StoreError(f"The change could not be saved: {str(exc).splitlines()[0]}.") from None

    @contextlib.contextmanager
    def writer_lock(self, db_path: Path, wait_seconds: float) -> Iterator["HeldLock"]:
        """The cluster-wide writer lock: a session-level advisory lock on a connection of its own, held
        for the whole load (the loader takes this machine's file lock inside it)."""
        import psycopg

        key = {"key": lock_key(Path(db_path).name)}
        try:
            con = self.connect()
        except psycopg.OperationalError as exc:
            raise self._unavailable(exc) from None
        try:
            deadline = time.monotonic() + wait_seconds
            session = Connection(con, _pg_params)
            while not session.one("backend/writer_lock_try", key)["locked"]:
                if time.monotonic() >= deadline:
                    raise StoreError(f"another load into {Path(db_path).name} is in progress (on this or another "
                                    "machine of the cluster); try again when it has finished")
                time.sleep(self.LOCK_POLL)
            yield AdvisoryLock(session, self)
        finally:
            con.close()  # ends the session: the advisory lock goes with it


class AdvisoryLock(HeldLock):
    def __init__(self, con, backend: PostgresBackend):
        self._con, self._backend = con, backend

    def confirm(self) -> None:
        """Before the swap: the lock's session must still be alive, or another load may have begun."""
        import psycopg

        try:
            self._con.one("backend/ping")
        except psycopg.Error as exc:
            raise StoreUnavailable(f"the cluster-wide writer lock was lost ({self._backend.describe()} stopped "
                            f"answering: {str(exc).strip().splitlines()[0]}); nothing was changed — "
                            "try again") from None

