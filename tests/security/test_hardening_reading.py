"""Finding 8 and 11 (reading): a small workbook must not tie up the reader, an upload is parsed
outside the server's request thread with a time limit, echoed input is cut short, and a header that
names a column twice is refused.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import COLUMNS
from workforce.ingest import isolated, readers
from workforce.ingest.loader import LoadError, check_files

ROWS = [["2024-12", "RWH", "Nurses & health visitors", "", "", "headcount", 120],
        ["2024-12", "RWG", "Nurses & health visitors", "", "", "headcount", 200]]


def _workbook(path: Path, stray: tuple[int, int] | None = None, dimension: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in ROWS:
        sheet.append(row)
    if stray:
        sheet.cell(row=stray[0], column=stray[1], value="x")
    book.save(path)
    if dimension:  # what a hostile or broken writer declares, whatever the cells are
        data = io.BytesIO(path.read_bytes())
        with zipfile.ZipFile(data) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename.startswith("xl/worksheets/sheet"):
                    content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % dimension.encode(), content)
                target.writestr(item, content)
    return path


def _timed_check(path: Path, config) -> tuple[float, object]:
    started = time.monotonic()
    check = check_files([path], config, db_path=path.with_suffix(".duckdb"))[0]
    return time.monotonic() - started, check


def test_declared_dimension_does_not_drive_the_read(tmp_path, config):
    path = _workbook(tmp_path / "declared.xlsx", dimension="A1:XFD1048576")
    assert path.stat().st_size < 10_000
    seconds, check = _timed_check(path, config)
    assert check.error is None and check.ok, check.error
    assert check.report.rows_in == 2
    assert seconds < 15


def test_stray_cell_in_the_last_row_and_column(tmp_path, config):
    """The finding's file: ~5 KB, one stray cell at XFD1048576 (was ~30 minutes of reading)."""
    path = _workbook(tmp_path / "stray.xlsx", stray=(1_048_576, 16_384))
    assert path.stat().st_size < 10_000
    seconds, check = _timed_check(path, config)
    assert seconds < 30
    assert check.error and "row 1048576" in check.error and "beyond the last column" in check.error


def test_cells_are_capped(tmp_path, config, monkeypatch):
    monkeypatch.setattr(readers, "XLSX_MAX_CELLS", 10)
    path = _workbook(tmp_path / "many.xlsx")
    check = check_files([path], config, db_path=tmp_path / "x.duckdb")[0]
    assert check.error and "more than 10 cells" in check.error


def test_reading_time_is_capped(tmp_path, config, monkeypatch):
    monkeypatch.setattr(readers, "XLSX_MAX_SECONDS", 0)
    path = _workbook(tmp_path / "slow.xlsx")
    check = check_files([path], config, db_path=tmp_path / "x.duckdb")[0]
    assert check.error and "seconds" in check.error


def test_a_header_of_thousands_of_columns_is_refused(tmp_path, config):
    book = Workbook()
    book.active.append([f"c{i}" for i in range(readers.XLSX_MAX_COLUMNS + 1)])
    book.active.append([1] * (readers.XLSX_MAX_COLUMNS + 1))
    book.save(tmp_path / "wide.xlsx")
    check = check_files([tmp_path / "wide.xlsx"], config, db_path=tmp_path / "x.duckdb")[0]
    assert check.error and "columns" in check.error


# ------------------------------------------------------------------ off the request thread
@pytest.mark.slow
def test_parsing_runs_in_another_process_with_a_time_limit():
    started = time.monotonic()
    with pytest.raises(LoadError, match="took longer than 2 seconds"):
        isolated.run(time.sleep, 60, timeout=2)
    assert time.monotonic() - started < 20


@pytest.mark.slow
def test_isolated_check_returns_the_same_report(tmp_path, config):
    path = _workbook(tmp_path / "ok.xlsx")
    messages = []
    checks = isolated.check_files([path], config, db_path=tmp_path / "x.duckdb",
                                  progress=lambda fraction, message: messages.append(message))
    assert checks[0].ok and checks[0].report.rows_in == 2
    assert messages, "progress still reaches the page"


# ------------------------------------------------------------------ finding 11: echoes and headers
def test_a_10_mb_single_line_is_not_echoed_back(tmp_path, config):
    path = tmp_path / "one_line.csv"
    path.write_text("x" * 10_000_000)
    check = check_files([path], config, db_path=tmp_path / "x.duckdb")[0]
    assert check.error and "x" * 100 not in check.error
    assert len(check.error) < 8000, len(check.error)   # the format list (~5,000) plus a clipped echo


def test_many_long_header_cells_are_not_echoed_back(tmp_path, config):
    path = tmp_path / "wide_header.csv"
    path.write_text(",".join(f"{i}{'y' * 3000}" for i in range(40)) + "\n1\n")
    check = check_files([path], config, db_path=tmp_path / "x.duckdb")[0]
    assert check.error and "y" * 100 not in check.error
    assert len(check.error) < 8000, len(check.error)


def test_duplicate_header_columns_are_refused(tmp_path, config):
    path = tmp_path / "twice.csv"
    path.write_text(",".join(COLUMNS + ["value"]) + "\n2024-12,RWH,Nurses & health visitors,,,headcount,5,500\n")
    check = check_files([path], config, db_path=tmp_path / "x.duckdb")[0]
    assert check.error and "more than once" in check.error and "value" in check.error


@pytest.mark.slow
def test_a_rejected_load_comes_back_from_the_child_as_itself(tmp_path, config):
    from workforce.ingest.loader import LoadRejected

    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(COLUMNS) + "\n2024-12,XX9,Nurses & health visitors,,,headcount,5\n")
    with pytest.raises(LoadRejected) as rejected:
        isolated.load_files([bad], config, db_path=tmp_path / "x.duckdb")
    assert rejected.value.total == 1 and "XX9" in str(rejected.value)
