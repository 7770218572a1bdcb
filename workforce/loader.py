"""Load long-template files into the workforce database: whole or not at all, never in place.

Every write builds a new database file beside the live one (a copy, or a fresh file for the
demo), applies the load there, checkpoints it and swaps it in with os.replace. A dashboard
holding the old file keeps serving it until its next query; a load that fails — or is killed —
leaves the live file exactly as it was. A lock file serialises writers: a second load waits,
then is refused with a clear message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import fcntl
import getpass
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from .config import Config
from .db import QUERIES, sql
from .readers import UnreadableFile, as_csv, template_columns_missing

TEMPLATE_COLUMNS = ("period", "org_code", "staff_group", "breakdown", "breakdown_value", "measure", "value")
MAX_PROBLEMS_LISTED = 200
Progress = Callable[[float, str], None]


class LoadError(Exception):
    """A load could not be done; the message says why. The live database is unchanged."""


@dataclass(frozen=True)
class Problem:
    file: str
    row: int
    column: str
    value: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, column {self.column}: '{self.value}' {self.problem}"


class LoadRejected(LoadError):
    """One or more files failed validation; nothing was loaded."""

    def __init__(self, problems: list[Problem], total: int):
        self.problems, self.total = problems, total
        more = f"\n… and {total - len(problems)} more problems" if total > len(problems) else ""
        super().__init__(f"rejected: {total} problem(s); nothing was loaded\n"
                         + "\n".join(str(p) for p in problems) + more)


@dataclass
class FileReport:
    file: str
    format: str
    sha256: str
    rows_in: int = 0
    rows_missing: int = 0
    rows_new: int = 0
    rows_changed: int = 0
    rows_unchanged: int = 0
    load_id: int | None = None
    already_loaded_as: int | None = None
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def rows_loaded(self) -> int:
        return self.rows_new + self.rows_changed

    def summary(self) -> str:
        if self.already_loaded_as is not None:
            return f"{self.file}: already loaded as load {self.already_loaded_as}; nothing changed"
        head = f"{self.file} ({self.format}): {self.rows_in:,} rows"
        parts = [f"{self.rows_new:,} new", f"{self.rows_changed:,} changed", f"{self.rows_unchanged:,} unchanged"]
        if self.rows_missing:
            parts.append(f"{self.rows_missing:,} held as missing (suppressed or blank)")
        tail = f" — load {self.load_id}" if self.load_id is not None else ""
        return f"{head}: " + ", ".join(parts) + tail


@dataclass
class LoadResult:
    files: list[FileReport]
    dry_run: bool

    def summary(self) -> str:
        lead = "Dry run — nothing written.\n" if self.dry_run else ""
        return lead + "\n".join(f.summary() for f in self.files)


# ---------------------------------------------------------------- the writer: copy, change, swap
@contextlib.contextmanager
def _writer_lock(db_path: Path, wait_seconds: float) -> Iterator[None]:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with open(db_path.with_name(db_path.name + ".lock"), "w") as handle:
        deadline = time.monotonic() + wait_seconds
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
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _connection(db_path: Path, *, write: bool, fresh: bool = False,
                wait_seconds: float = 30) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection with the database ATTACHed as `wf`.

    write=False attaches the live file read-only (or an empty in-memory one if there is none).
    write=True works on a copy (or a fresh file) and swaps it in when the block succeeds.
    """
    if not write:
        con = duckdb.connect()
        try:
            if db_path.exists():
                con.execute(f"ATTACH '{_quote(db_path)}' AS wf (READ_ONLY)")
            else:
                con.execute("ATTACH ':memory:' AS wf")
            con.execute("USE wf")
            _ensure_schema(con, read_only=db_path.exists())
            yield con
        finally:
            con.close()
        return
    with _writer_lock(db_path, wait_seconds):
        for orphan in db_path.parent.glob(db_path.name + ".loading-*"):
            orphan.unlink(missing_ok=True)  # left by a killed load; we hold the lock, so it is dead
        work = db_path.with_name(f"{db_path.name}.loading-{os.getpid()}")
        if db_path.exists() and not fresh:
            shutil.copyfile(db_path, work)
        con = duckdb.connect()
        try:
            con.execute(f"ATTACH '{_quote(work)}' AS wf")
            con.execute("USE wf")
            _ensure_schema(con)
            yield con
            con.execute("USE memory")
            con.execute("DETACH wf")  # checkpoints: the file is complete, no .wal beside it
            con.close()
            _fsync(work)
            os.replace(work, db_path)
        except BaseException:
            con.close()
            work.unlink(missing_ok=True)
            Path(str(work) + ".wal").unlink(missing_ok=True)
            raise


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


# ---------------------------------------------------------------- staging and validation
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stage_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Stage a template CSV (or XLSX, converted to CSV first) as text in `staged`."""
    try:
        with as_csv(path) as csv_path:
            _stage_csv(con, path, csv_path)
    except UnreadableFile as exc:
        raise LoadError(str(exc)) from None


def _stage_csv(con: duckdb.DuckDBPyConnection, path: Path, csv_path: Path) -> None:
    missing = template_columns_missing(con, csv_path, TEMPLATE_COLUMNS)
    if missing:
        raise LoadError(f"{path.name}: not in the long template format — missing column(s) "
                        f"{', '.join(missing)}; expected {', '.join(TEMPLATE_COLUMNS)}")
    try:
        con.execute(sql("stage_csv"), {"path": str(csv_path)})
    except duckdb.Error as exc:
        raise LoadError(f"{path.name}: could not be read as CSV: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _validation_params(config: Config) -> dict:
    breakdown_values = [""] + [f"{b.id}={v}" for b in config.breakdowns for v in b.values]
    limited = [m for m in config.measures if m.at_most]
    latest = dt.date.today().replace(day=1)
    return {
        "orgs": [o.code for o in config.organisations],
        "staff_groups": config.staff_group_names + [config.all_staff_groups_label],
        "measures": [m.id for m in config.measures],
        "breakdown_values": breakdown_values,
        "latest_month": latest,
        "at_most_measure": [m.id for m in limited],
        "at_most_limit": [m.at_most for m in limited],
        "all_staff_groups": config.all_staff_groups_label,
        "max_problems": MAX_PROBLEMS_LISTED,
    }


def _suggestion(problem: str, value: str, config: Config) -> str:
    known = {"unknown organisation code": [o.code for o in config.organisations],
             "unknown staff group": config.staff_group_names + [config.all_staff_groups_label],
             "unknown measure": [m.id for m in config.measures]}.get(problem)
    if not known:
        return problem
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    return f"{problem} (did you mean '{close[0]}'?)" if close else problem


def _validate(con: duckdb.DuckDBPyConnection, config: Config, name: str) -> tuple[list[Problem], int]:
    rows = con.execute(sql("validate_parsed"), _validation_params(config)).fetchall()
    problems = [Problem(name, r[0], r[1], str(r[2]), _suggestion(r[3], str(r[2]), config)) for r in rows]
    return problems, (rows[0][4] if rows else 0)


def _report(con: duckdb.DuckDBPyConnection, name: str, fmt: str, sha: str) -> FileReport:
    report = FileReport(file=name, format=fmt, sha256=sha)
    report.rows_in, report.rows_missing = con.execute(sql("count_missing")).fetchone()
    for status, rows in con.execute(sql("diff_parsed")).fetchall():
        setattr(report, f"rows_{status}", rows)
    report.changes = con.execute(sql("changed_values"), {"limit": 1000}).df()
    return report


def _apply(con: duckdb.DuckDBPyConnection, report: FileReport, loaded_by: str) -> None:
    load_id = con.execute(sql("next_load_id")).fetchone()[0]
    for name in ("record_history", "delete_replaced", "insert_loaded"):
        con.execute(sql(name), {"load_id": load_id})
    con.execute(sql("insert_load"), {
        "load_id": load_id, "file": report.file, "sha256": report.sha256, "format": report.format,
        "rows_in": report.rows_in, "rows_loaded": report.rows_loaded, "rows_rejected": 0,
        "rows_missing": report.rows_missing, "rows_new": report.rows_new,
        "rows_changed": report.rows_changed, "rows_unchanged": report.rows_unchanged,
        "loaded_at": dt.datetime.now().replace(microsecond=0), "loaded_by": loaded_by, "status": "loaded"})
    con.execute(sql("set_meta"), {"key": "data_generation", "value": str(load_id)})
    con.execute(sql("set_meta"), {"key": "last_loaded_at", "value": dt.datetime.now().isoformat(timespec="seconds")})
    report.load_id = load_id


# ---------------------------------------------------------------- public entry points
def load_files(paths: list[str | Path], config: Config, *, db_path: str | Path | None = None,
               dry_run: bool = False, loaded_by: str | None = None,
               progress: Progress | None = None, wait_seconds: float = 30) -> LoadResult:
    """Validate and load long-template files; all of them or none."""
    files = [Path(p) for p in paths]
    for path in files:
        if not path.is_file():
            raise LoadError(f"{path}: no such file")
    db_path = Path(db_path) if db_path else config.db_path
    who = loaded_by or getpass.getuser()
    progress = progress or (lambda fraction, message: None)
    with _connection(db_path, write=not dry_run, wait_seconds=wait_seconds) as con:
        reports, problems, total = [], [], 0
        for i, path in enumerate(files):
            progress(i / len(files), f"Checking {path.name}")
            _stage_file(con, path)
            con.execute(sql("parse_staged"))
            found, count = _validate(con, config, path.name)
            problems += found
            total += count
            if not count:
                report = _report(con, path.name, "template", _sha256(path))
                earlier = con.execute(sql("load_by_checksum"), {"sha256": report.sha256}).fetchone()
                if earlier and report.rows_loaded == 0:
                    report.already_loaded_as = earlier[0]
                elif not dry_run:
                    progress((i + 0.5) / len(files), f"Loading {path.name}")
                    _apply(con, report, who)
                reports.append(report)
        if total:
            raise LoadRejected(problems[:MAX_PROBLEMS_LISTED], total)
        progress(1.0, "Done")
    return LoadResult(reports, dry_run)


def load_frame(frame: pd.DataFrame, config: Config, *, db_path: str | Path | None = None,
               name: str = "frame", fmt: str = "template", fresh: bool = False,
               meta: dict[str, str] | None = None, loaded_by: str | None = None) -> LoadResult:
    """Validate and load a data frame in the long template (the demo generator's path)."""
    db_path = Path(db_path) if db_path else config.db_path
    sha = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).values.tobytes()).hexdigest()
    with _connection(db_path, write=True, fresh=fresh) as con:
        con.register("frame", frame)
        con.execute(sql("stage_frame"))
        con.execute(sql("parse_staged"))
        problems, total = _validate(con, config, name)
        if total:
            raise LoadRejected(problems, total)
        report = _report(con, name, fmt, sha)
        _apply(con, report, loaded_by or getpass.getuser())
        for key, value in (meta or {}).items():
            con.execute(sql("set_meta"), {"key": key, "value": value})
        con.unregister("frame")
    return LoadResult([report], dry_run=False)


def load_history(db_path: Path) -> pd.DataFrame:
    with _connection(db_path, write=False) as con:
        return con.execute(sql("load_history")).df()
