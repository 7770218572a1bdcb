"""Turning a file someone has into a UTF-8 CSV that DuckDB's reader can stream.

The file's content decides how it is read, never its name:
- a CSV (UTF-8, with or without a byte-order mark) is read by DuckDB in place;
- a CSV in another encoding (Windows-1252, UTF-16) or with blank lines between its rows is
  rewritten once as UTF-8 with a leading source-row column, so problems still name the real row;
- an XLSX workbook (a zip with a workbook inside) is checked for a decompression bomb before
  openpyxl opens it, then the sheet holding a recognised header is written out as a CSV, again
  with the spreadsheet row of every line;
- anything else (an old .xls, a PDF, an empty file) is refused with a message that says what it is.

`FileScan` reads the file once in a background thread for its SHA-256 checksum and its number
of lines (to find blank lines between rows), while DuckDB stages it.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from itertools import zip_longest
from dataclasses import dataclass
from pathlib import Path

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an encrypted (password-protected) .xlsx
SOURCE_ROW = "__source_row"  # first column of a rewritten CSV: the row in the original file
HEADER_SEARCH_ROWS = 30  # title rows above the header are skipped when the header is found below them
XLSX_MAX_RATIO = 200  # uncompressed / compressed size beyond which a large workbook is a zip bomb
XLSX_RATIO_FLOOR = 50 * 1024 * 1024  # small workbooks may compress very well; judge ratios above this
XLSX_MAX_ENTRIES = 5000
# a workbook's declared size (<dimension ref="A1:XFD1048576">) never drives the read: rows are
# read as they are stored, and what is read is capped (cells include one per row, empty or not)
XLSX_MAX_CELLS = 60_000_000
XLSX_MAX_COLUMNS = 1_000
XLSX_MAX_SECONDS = 300
# openpyxl reads a workbook's whole table of shared strings into memory as it opens it, before any cap
# on cells or time applies (3 million one-letter strings: a 130 KB file, a minute and 400 MB, twice):
# the table is counted, streamed and bounded, before anything parses it
XLSX_MAX_SHARED_STRINGS = 500_000
XLSX_MAX_STRINGS_BYTES = 128 * 2 ** 20
SHARED_STRINGS_TYPE = b"spreadsheetml.sharedStrings+xml"
_STRING_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")
_STRINGS_PART = re.compile(rb'<Override\b[^>]*>')

Recognise = Callable[[list[str]], bool]


class UnreadableFile(ValueError):
    """The file is not a CSV or an XLSX workbook we can read; the message says why."""


@dataclass
class Source:
    """A UTF-8 CSV ready for DuckDB, and what is known about it."""

    path: Path
    header: list[str]
    skip: int = 0  # lines before the header line in `path`
    numbered: bool = False  # `path` begins with the SOURCE_ROW column
    kind: str = "csv"  # csv | xlsx
    note: str = ""  # how it was read, when that is worth saying (encoding, sheet)


# ---------------------------------------------------------------- what kind of file is it
def sniff(path: Path, name: str) -> str:
    """'csv' or 'xlsx' from the first bytes; UnreadableFile for anything else."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if not head:
        raise UnreadableFile(f"{name}: the file is empty")
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise UnreadableFile(f"{name}: an old-style Excel .xls file or a password-protected workbook; "
                             "save it as .xlsx (without a password) or as CSV")
    if head.startswith(b"%PDF"):
        raise UnreadableFile(f"{name}: a PDF, not a CSV or XLSX file")
    if head.startswith(b"\x1f\x8b"):
        raise UnreadableFile(f"{name}: a compressed (gzip) file; unpack it first")
    return "csv"


# ---------------------------------------------------------------- the header
def _header_key(cell: str) -> str:
    """A header cell as publication descriptions compare it ('Org code' = 'ORG_CODE')."""
    return re.sub(r"[^a-z0-9]+", "_", str(cell).replace("\ufeff", "").strip().lower()).strip("_")


def check_header(header: list[str], name: str) -> None:
    """Refuse a header naming a column twice (which of the two would be read?), naming every repeat.

    Blank header cells (a trailing comma) are not names and may repeat."""
    seen: dict[str, list[int]] = {}
    for position, cell in enumerate(header, start=1):
        if _header_key(cell):
            seen.setdefault(_header_key(cell), []).append(position)
    repeats = [(key, places) for key, places in seen.items() if len(places) > 1]
    if repeats:
        said = "; ".join(f"'{header[places[0] - 1].strip()[:60]}' in columns {', '.join(map(str, places))}"
                         for key, places in repeats[:10])
        more = f" and {len(repeats) - 10} more" if len(repeats) > 10 else ""
        raise UnreadableFile(f"{name}: the header names a column more than once ({said}{more}); "
                             "rename or remove the extra column")


# ---------------------------------------------------------------- CSV
def _bom_encoding(head: bytes) -> str | None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _decode_guess(data: bytes) -> tuple[str, str]:
    """The text of the first bytes and the encoding they appear to be in."""
    bom = _bom_encoding(data)
    if bom:
        return data.decode("utf-16", errors="replace"), bom
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=False), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _header_rows(text: str) -> list[list[str]]:
    lines = text.replace("\x00", "").splitlines()[:HEADER_SEARCH_ROWS + 1]
    if len(lines) > 1:
        lines = lines[:-1]  # the last line of a sample may be cut short
    try:
        return [row for row in csv.reader(lines)]
    except csv.Error:
        return [[line] for line in lines]


def csv_header(path: Path, recognise: Recognise) -> tuple[list[str], int, str]:
    """(header cells, lines before the header, apparent encoding) from the start of a CSV."""
    with open(path, "rb") as handle:
        text, encoding = _decode_guess(handle.read(64 * 1024))
    rows = _header_rows(text)
    for index, row in enumerate(rows):
        if row and recognise(row):
            return row, index, encoding
    first = next((row for row in rows if any(cell.strip() for cell in row)), [])
    return first, 0, encoding


def rewrite_csv(path: Path, target: Path, encoding: str, skip: int, name: str) -> list[str]:
    """Rewrite a CSV as UTF-8 with a leading SOURCE_ROW column (blank rows dropped, still counted).

    Rows whose number of cells differs from the header's are refused here with their row number.
    """
    text_encoding = "utf-16" if encoding == "utf-16" else ("utf-8-sig" if encoding == "utf-8" else "cp1252")
    header: list[str] = []
    try:
        with open(path, encoding=text_encoding, errors="replace", newline="") as src, \
                open(target, "w", encoding="utf-8", newline="") as out:
            reader = csv.reader((line.replace("\x00", "") for line in src), strict=True)
            writer = csv.writer(out)
            for _ in range(skip):
                next(reader, None)
            header = next(reader, [])
            writer.writerow([SOURCE_ROW] + header)
            row_no = skip + 1  # the header's row; rows are counted as a spreadsheet shows them
            for row in reader:
                row_no += 1
                if not row or not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise UnreadableFile(f"{name}, row {row_no}: {len(row)} cells where the header has "
                                         f"{len(header)} — a truncated or misaligned row")
                writer.writerow([row_no] + row)
    except csv.Error as exc:
        raise UnreadableFile(f"{name}: not a well-formed CSV ({exc})") from None
    return header


class FileScan:
    """The file's SHA-256 checksum and its number of lines, read once in a background thread.

    DuckDB's CSV reader skips blank lines, so a file with blank lines between its rows (or values
    running over several lines) has more lines than header + rows: the loader then rewrites it with
    each row's number (rewrite_csv), so problems still name the right row.
    """

    def __init__(self, path: Path):
        self.path = path
        self.sha256 = ""
        self.lines = 0  # lines up to the last non-blank one
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._run, daemon=True, name="workforce-file-scan")
        self._thread.start()

    def _run(self) -> None:
        try:
            digest, newlines, tail = hashlib.sha256(), 0, b""
            with open(self.path, "rb") as handle:
                for chunk in iter(lambda: handle.read(4 << 20), b""):
                    digest.update(chunk)
                    newlines += chunk.count(b"\n")
                    tail = (tail + chunk)[-65536:]
            content = tail.rstrip(b"\r\n")
            trailing = tail[len(content):].count(b"\n")
            self.lines = newlines - trailing + (1 if content or newlines > trailing else 0)
            self.sha256 = digest.hexdigest()
        except Exception as exc:  # reported by result()
            self.error = exc

    def result(self) -> "FileScan":
        self._thread.join()
        if self.error:
            raise UnreadableFile(f"{self.path.name}: could not be read ({self.error.__class__.__name__})")
        return self


# ---------------------------------------------------------------- XLSX
def check_workbook(path: Path, name: str, max_uncompressed: int) -> None:
    """Refuse a zip that is not a workbook, or a decompression bomb, before anything unpacks it."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise UnreadableFile(f"{name}: not a readable XLSX workbook (a damaged or incomplete zip file)") from None
    names = {e.filename for e in entries}
    if "xl/workbook.bin" in names:
        raise UnreadableFile(f"{name}: a binary workbook (.xlsb); save it as .xlsx or CSV")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UnreadableFile(f"{name}: a zip file but not an XLSX workbook (no workbook inside)")
    if len(entries) > XLSX_MAX_ENTRIES:
        raise UnreadableFile(f"{name}: not a readable XLSX workbook ({len(entries):,} parts inside)")
    unpacked = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if unpacked > max_uncompressed:
        raise UnreadableFile(f"{name}: the workbook unpacks to {unpacked / 2**20:,.0f} MB, over the "
                             f"{max_uncompressed / 2**20:,.0f} MB limit; save the sheet as CSV instead")
    if unpacked > XLSX_RATIO_FLOOR and unpacked / packed > XLSX_MAX_RATIO:
        raise UnreadableFile(f"{name}: refused — the workbook would unpack to {unpacked / packed:,.0f} times "
                             "its size (a decompression bomb?)")
    _check_shared_strings(path, names, name)


def _shared_string_parts(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    """The parts [Content_Types].xml declares as shared strings, and any named like them."""
    declared = set()
    for override in _STRINGS_PART.findall(archive.read("[Content_Types].xml")[:2_000_000]):
        if SHARED_STRINGS_TYPE in override:
            found = re.search(rb'PartName="/?([^"]+)"', override)
            if found:
                declared.add(found.group(1).decode("utf-8", "replace"))
    return sorted((declared | {n for n in names if n.lower().endswith("sharedstrings.xml")}) & names)


def _check_shared_strings(path: Path, names: set[str], name: str) -> None:
    """Refuse a workbook whose table of shared strings is too large to read, counting its strings as the
    part streams out of the zip (so the count costs no more memory than a chunk)."""
    with zipfile.ZipFile(path) as archive:
        for part in _shared_string_parts(archive, names):
            count = size = 0
            tail = b""
            with archive.open(part) as stream:
                while chunk := stream.read(1 << 20):
                    size += len(chunk)
                    data = tail + chunk  # a string's start may straddle two chunks: count it once
                    count += sum(1 for m in _STRING_START.finditer(data) if m.end() > len(tail))
                    tail = data[-64:]
                    if count > XLSX_MAX_SHARED_STRINGS or size > XLSX_MAX_STRINGS_BYTES:
                        raise UnreadableFile(
                            f"{name}: refused — the workbook's table of shared strings holds more than "
                            f"{XLSX_MAX_SHARED_STRINGS:,} strings or {XLSX_MAX_STRINGS_BYTES // 2 ** 20} MB "
                            "(a decompression bomb?); save the sheet as a CSV instead")


def xlsx_to_csv(path: Path, target: Path, name: str, recognise: Recognise, max_uncompressed: int) -> Source:
    """Write the sheet holding a recognised header (else the first sheet) as a numbered UTF-8 CSV."""
    check_workbook(path, name, max_uncompressed)
    from openpyxl import load_workbook

    try:
        with open(path, "rb") as values_handle, open(path, "rb") as formulas_handle:
            values = load_workbook(values_handle, read_only=True, data_only=True)
            formulas = load_workbook(formulas_handle, read_only=True, data_only=False)
            for sheet in (*values.worksheets, *formulas.worksheets):
                if hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()  # rows as stored, never padded to a declared size
            try:
                return _write_sheet(values, formulas, target, name, recognise)
            finally:
                values.close()
                formulas.close()
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged workbook
        if _raised_here(exc):
            raise  # a fault in this module, not in the workbook: reported as an internal error
        raise UnreadableFile(f"{name}: not a readable XLSX workbook ({exc.__class__.__name__})") from None


def _raised_here(exc: BaseException) -> bool:
    frame = exc.__traceback__
    while frame and frame.tb_next:
        frame = frame.tb_next
    return bool(frame) and Path(frame.tb_frame.f_code.co_filename).resolve() == Path(__file__).resolve()


def _find_header(sheet) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of each non-empty row near the top of a sheet."""
    for index, row in enumerate(sheet.iter_rows(values_only=True, max_row=HEADER_SEARCH_ROWS)):
        cells = [_cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            yield index + 1, cells


def _write_sheet(values, formulas, target: Path, name: str, recognise: Recognise) -> Source:
    chosen = None
    for sheet_name in values.sheetnames:
        for row_no, cells in _find_header(values[sheet_name]):
            if recognise(cells):
                chosen = (sheet_name, row_no, cells)
                break
        if chosen:
            break
    if chosen is None:
        if not values.sheetnames:
            raise UnreadableFile(f"{name}: the workbook has no sheets")
        first = values.sheetnames[0]
        found = next(iter(_find_header(values[first])), None)
        if found is None:
            raise UnreadableFile(f"{name}: the first sheet ('{first}') is empty")
        chosen = (first, found[0], found[1])
    sheet_name, header_row, header = chosen
    width = len(header)
    if width > XLSX_MAX_COLUMNS:
        raise UnreadableFile(f"{name}, sheet '{sheet_name}': the header has {width:,} columns, more than the "
                             f"{XLSX_MAX_COLUMNS:,} a workforce file can have")
    with open(target, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([SOURCE_ROW] + header)
        rows = _bounded(zip_longest(values[sheet_name].iter_rows(values_only=True, min_row=header_row + 1),
                                    formulas[sheet_name].iter_rows(values_only=True, min_row=header_row + 1),
                                    fillvalue=()), f"{name}, sheet '{sheet_name}'")
        for offset, (shown, typed) in enumerate(rows):
            # a formula never calculated (no saved value) is passed on as its text, so it is reported
            cells = [_cell_text(f if v is None and _is_formula(f) else v)
                     for v, f in zip_longest(shown, typed)]
            if not any(cells):
                continue
            if any(cells[width:]):
                raise UnreadableFile(f"{name}, sheet '{sheet_name}', row {header_row + 1 + offset}: "
                                     "a value beyond the last column of the header")
            writer.writerow([header_row + 1 + offset] + (cells + [""] * width)[:width])
    note = f"sheet '{sheet_name}'" + (f", header on row {header_row}" if header_row > 1 else "")
    return Source(path=target, header=header, skip=0, numbered=True, kind="xlsx", note=note)


def _bounded(rows: Iterator[tuple[tuple, tuple]], where: str) -> Iterator[tuple[tuple, tuple]]:
    """The rows, refused once they hold more than XLSX_MAX_CELLS cells or take XLSX_MAX_SECONDS."""
    deadline = time.monotonic() + XLSX_MAX_SECONDS
    cells = 0
    for count, (shown, typed) in enumerate(rows):
        cells += 1 + max(len(shown), len(typed))
        if cells > XLSX_MAX_CELLS:
            raise UnreadableFile(f"{where}: more than {XLSX_MAX_CELLS:,} cells to read; split the workbook "
                                 "or save the sheet as a CSV")
        if count % 10_000 == 0 and time.monotonic() > deadline:
            raise UnreadableFile(f"{where}: reading took more than {XLSX_MAX_SECONDS:,} seconds; split the "
                                 "workbook or save the sheet as a CSV")
        yield shown, typed


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")  # a month typed as a date in Excel
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).replace("\x00", "").strip()
