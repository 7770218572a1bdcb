"""The loader's writer: every write builds a new database file beside the live one, changes it and
swaps it in; reads attach the live file read-only. Also the lock that serialises writers, the
temporary folders (named by process id, so a later load clears a killed one's) and disk-full
handling. workforce/ingest/loader.py decides what to write; this module decides how it lands safely."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from . import org_reference
from ..base.db import QUERIES, sql

SPILL_PREFIX = "workforce-spill-"  # + process id: see remove_orphaned_temp_folders
READ_PREFIX = "workforce-read-"    # a file rewritten for reading (xlsx sheet, re-encoded CSV); + process id
MEMORY_LIMIT = "600MB"  # DuckDB's working memory for a load (10 M rows: peak RSS 0.8 GB); beyond it DuckDB spills to disk


class LoadError(Exception):
    """A load could not be done; the message says why. The live database is unchanged."""


class DiskFull(LoadError):
    """No room left on the disk for the database copy or the temporary files; nothing was changed."""


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return isinstance(exc, (OSError, duckdb.Error)) and ("no space left" in text or "disk quota" in text)


def disk_full_error(db_path: Path) -> DiskFull:
    return DiskFull(f"the disk is full: not enough free space in {db_path.parent} (or the temporary folder "
                    f"{tempfile.gettempdir()}) to write the database; nothing was changed — free some space "
                    "and try again")


def _spill_folder() -> tempfile.TemporaryDirectory:
    """A temporary folder named after this process, so a later load can remove it if we are killed."""
    return tempfile.TemporaryDirectory(prefix=f"{SPILL_PREFIX}{os.getpid()}-")


def remove_orphaned_temp_folders(*prefixes: str) -> None:
    """Temporary folders left by processes that no longer exist (kill -9, power cut)."""
    for prefix in prefixes or (SPILL_PREFIX,):
        for folder in Path(tempfile.gettempdir()).glob(prefix + "*"):
            pid = folder.name[len(prefix):].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def file_lock(db_path: Path, wait_seconds: float) -> Iterator[None]:
    """One writer at a time on this machine. The lock file is removed on release; a waiter that locked
    a file already removed by the previous holder opens the new one and tries again. (A cluster's
    store adds its own lock around it: workforce.store.backend.)"""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db_path.with_name(db_path.name + ".lock")
    deadline = time.monotonic() + wait_seconds
    while True:
        handle = open(lock_path, "a")
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LoadError(f"another load into {db_path.name} is in progress; "
                                        "try again when it has finished") from None
                    time.sleep(0.2)
            try:
                current = os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino
            except FileNotFoundError:
                current = False
        except BaseException:
            handle.close()
            raise
        if current:
            break
        handle.close()
    try:
        yield
    finally:
        lock_path.unlink(missing_ok=True)  # while still holding it: see the docstring
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _connect(spill: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection whose staging tables spill to `spill` beyond MEMORY_LIMIT."""
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(spill)})
    con.execute(sql("ingest/apply/loader_session"))
    for path in sorted((QUERIES / "macros").glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
    org_reference.reset(con)
    con.execute(f"ATTACH '{_quote(spill / 'stage.duckdb')}' AS stage")  # compressed staging (stage_csv)
    return con


@contextlib.contextmanager
def _locks(lock, db_path: Path, wait_seconds: float) -> Iterator[object | None]:
    """The store's writer lock (if given), then this machine's file lock; the store's errors as LoadError."""
    from ..base.store_backend import StoreError

    try:
        with contextlib.ExitStack() as stack:
            held = stack.enter_context(lock(db_path, wait_seconds)) if lock else None
            stack.enter_context(file_lock(db_path, wait_seconds))
            yield held
    except StoreError as exc:
        raise LoadError(str(exc)) from None


@contextlib.contextmanager
def connection(db_path: Path | None, *, write: bool, fresh: bool = False, wait_seconds: float = 30,
               lock=None) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection with the database ATTACHed as `wf`.

    write=False attaches the live file read-only (or an empty in-memory one if there is none, or
    db_path is None).
    write=True works on a copy (or a fresh file) and swaps it in when the block succeeds, holding
    `lock(db_path, wait_seconds)` throughout (the store's writer lock, cluster-wide on PostgreSQL:
    workforce.base.store_backend) and this machine's file lock. A store lock that can no longer vouch
    for itself (`confirm()`) stops the swap.
    """
    if not write:
        with _spill_folder() as spill:
            con = _connect(Path(spill))
            try:
                existing = db_path is not None and db_path.exists()
                if existing:
                    con.execute(f"ATTACH '{_quote(db_path)}' AS wf (READ_ONLY)")
                else:
                    con.execute("ATTACH ':memory:' AS wf")
                con.execute("USE wf")
                con.execute(sql("ingest/apply/loader_search_path"))
                _ensure_schema(con, read_only=existing)
                yield con
            finally:
                con.close()
        return
    with _locks(lock, db_path, wait_seconds) as held:
        for orphan in db_path.parent.glob(db_path.name + ".loading-*"):
            orphan.unlink(missing_ok=True)  # left by a killed load; we hold the lock, so it is dead
        remove_orphaned_temp_folders(SPILL_PREFIX, READ_PREFIX)
        work = db_path.with_name(f"{db_path.name}.loading-{os.getpid()}")
        try:  # the copy too: a disk that fills part-way through it must not leave half a file
            if db_path.exists() and not fresh:
                shutil.copyfile(db_path, work)
            with _spill_folder() as spill:
                con = _connect(Path(spill))
                try:
                    con.execute(f"ATTACH '{_quote(work)}' AS wf")
                    con.execute("USE wf")
                    con.execute(sql("ingest/apply/loader_search_path"))
                    _ensure_schema(con)
                    yield con
                    con.execute("USE memory")
                    con.execute("DETACH wf")  # checkpoints: the file is complete, no .wal beside it
                finally:
                    con.close()
            _fsync(work)
            if held is not None:
                _confirm(held)  # e.g. PostgreSQL restarted: another load may now hold the lock
            os.replace(work, db_path)
        except BaseException as exc:
            work.unlink(missing_ok=True)
            Path(str(work) + ".wal").unlink(missing_ok=True)
            if is_disk_full(exc) or isinstance(exc, DiskFull):
                raise disk_full_error(db_path) from None
            raise


def _confirm(held) -> None:
    from ..base.store_backend import StoreError

    try:
        held.confirm()
    except StoreError as exc:
        raise LoadError(str(exc)) from None


def _ensure_schema(con: duckdb.DuckDBPyConnection, read_only: bool = False) -> None:
    if read_only:
        return
    for path in sorted((QUERIES / "schema").glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
