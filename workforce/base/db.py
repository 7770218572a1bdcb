"""Read access to the workforce database, and the SQL files in queries/.

The loader never writes the live file: it builds a new one and swaps it in (os.replace).
Readers therefore open one in-memory DuckDB per *generation* of the file (its inode, mtime
and size) with the file ATTACHed read-only, take a fresh cursor per query (a DuckDB
connection must not be shared across threads), and key cached results by generation, so a
swap is picked up on the next query and no reader ever sees half a load.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

QUERIES = Path(__file__).resolve().parents[2] / "queries"


class DataUnavailable(RuntimeError):
    """The database file is missing or cannot be read."""


SQL_USED: set[str] = set()  # names read in this process: the test suite checks every file is exercised


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    """The text of queries/<name>.sql (one statement per file)."""
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named '{name}' in {QUERIES}")
    SQL_USED.add(name)
    return path.read_text(encoding="utf-8")


def file_signature(path: Path) -> tuple[int, int, int]:
    stat = os.stat(path)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


class Database:
    """A read-only view of the database file that follows atomic swaps."""

    def __init__(self, path: str | Path, cache_size: int = 512):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._generation: tuple[tuple, duckdb.DuckDBPyConnection] | None = None
        self._cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._cache_size = cache_size

    # ---- generations
    def signature(self) -> tuple[int, int, int]:
        try:
            return file_signature(self.path)
        except FileNotFoundError:
            raise DataUnavailable(f"no database at {self.path}: build the demo (python -m workforce demo) "
                                  "or load a file (python -m workforce load FILE)") from None

    def _connection(self) -> tuple[tuple, duckdb.DuckDBPyConnection]:
        sig = self.signature()
        with self._lock:
            if self._generation is None or self._generation[0] != sig:
                con = duckdb.connect()  # in-memory: never shared through DuckDB's instance cache
                con.execute(f"ATTACH '{_quote(self.path)}' AS wf (READ_ONLY)")
                self._generation = (sig, con)
                self._cache.clear()
            return self._generation

    @property
    def generation(self) -> tuple[int, int, int]:
        return self._connection()[0]

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._connection()[1].cursor()
        cur.execute("USE wf")
        return cur

    # ---- queries
    def query(self, name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run queries/<name>.sql with $named parameters; cached by (name, params, generation)."""
        return self._run(self._connection(), name, params or {})

    def _run(self, generation: tuple[tuple, duckdb.DuckDBPyConnection], name: str, params: dict) -> pd.DataFrame:
        sig, con = generation
        key = (name, _freeze(params), sig)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key].copy()
        cur = con.cursor()
        cur.execute("USE wf")
        if name in ARROW_RESULTS:
            frame = cur.sql(sql(name), params=params).to_arrow_table().to_pandas(date_as_object=False)
        else:
            frame = cur.execute(sql(name), params).df()
        with self._lock:
            if self._generation and self._generation[0] == sig:  # never cache a superseded generation
                self._cache[key] = frame
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return frame.copy()

    def meta(self) -> dict[str, str]:
        rows = self.query("base/meta")
        return dict(zip(rows["key"], rows["value"]))

    def pinned(self) -> "PinnedDatabase":
        """This generation, held for a whole page run: a load that lands meanwhile cannot mix old
        and new figures on one page (the old file stays readable until the view is dropped)."""
        return PinnedDatabase(self, self._connection())


class PinnedDatabase:
    """The Database interface (query, meta, generation) fixed to one generation of the file."""

    def __init__(self, database: Database, generation: tuple[tuple, duckdb.DuckDBPyConnection]):
        self._database, self._held = database, generation
        self.path = database.path

    @property
    def generation(self) -> tuple[int, int, int]:
        return self._held[0]

    def query(self, name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        return self._database._run(self._held, name, params or {})

    def meta(self) -> dict[str, str]:
        rows = self.query("base/meta")
        return dict(zip(rows["key"], rows["value"]))

    def pinned(self) -> "PinnedDatabase":
        return self


# Large results read through Arrow: their text stays in Arrow's buffers instead of becoming a Python string
# per cell on the way to pandas (all of England at national scale: 550,000 rows, about 0.1 s of CPU less)
ARROW_RESULTS = frozenset({"measures/org_components"})


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set)):
        return tuple(_freeze(v) for v in value)
    return value


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


_open: dict[Path, Database] = {}
_open_lock = threading.Lock()


def open_database(path: str | Path) -> Database:
    """One Database per path per process (shared by pages, CLI and exports)."""
    key = Path(path).resolve()
    with _open_lock:
        if key not in _open:
            _open[key] = Database(key)
        return _open[key]
