"""Turning an uploaded file into something DuckDB's CSV reader can stream.

CSV files are read by DuckDB directly. XLSX workbooks (recognised by their content, not their
name) are streamed row by row with openpyxl into a temporary CSV, so both formats share one
staging and validation path.
"""

from __future__ import annotations

import contextlib
import csv
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb

from .db import sql

ZIP_MAGIC = b"PK\x03\x04"


class UnreadableFile(ValueError):
    """The file is not a CSV or an XLSX workbook we can read."""


def is_xlsx(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == ZIP_MAGIC


@contextlib.contextmanager
def as_csv(path: Path) -> Iterator[Path]:
    """The file itself if it is text; a temporary CSV of its first sheet if it is a workbook."""
    if not is_xlsx(path):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="workforce-xlsx-") as tmp:
        target = Path(tmp) / "sheet.csv"
        _xlsx_to_csv(path, target)
        yield target


def _xlsx_to_csv(path: Path, target: Path) -> None:
    from openpyxl import load_workbook

    try:  # a file object: openpyxl would otherwise judge the file by its name
        with open(path, "rb") as handle:
            book = load_workbook(handle, read_only=True, data_only=True)
            try:
                with open(target, "w", newline="", encoding="utf-8") as out:
                    writer = csv.writer(out)
                    for row in book.worksheets[0].iter_rows(values_only=True):
                        writer.writerow(_cell_text(v) for v in row)
            finally:
                book.close()
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged workbook
        raise UnreadableFile(f"{path.name}: not a readable XLSX workbook ({exc.__class__.__name__})") from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")  # a month typed as a date in Excel
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def header(con: duckdb.DuckDBPyConnection, csv_path: Path) -> list[str]:
    """The CSV's column names after DuckDB's normalisation (lower case, spaces to underscores)."""
    try:
        cur = con.execute(sql("csv_header"), {"path": str(csv_path)})
    except duckdb.Error as exc:
        raise UnreadableFile(f"{csv_path.name}: could not be read as CSV: {str(exc).splitlines()[0]}") from None
    return [d[0].lstrip("_") for d in cur.description]  # reserved words come back as _value


def template_columns_missing(con: duckdb.DuckDBPyConnection, csv_path: Path, required: tuple[str, ...]) -> list[str]:
    present = set(header(con, csv_path))
    return [c for c in required if c not in present]
