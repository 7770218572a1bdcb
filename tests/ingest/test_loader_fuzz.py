"""Fuzzing the readers and adapters: malformed files of every kind — random bytes, wrong encodings,
byte-order marks, truncated rows, stray quotes and NULs, huge numbers, formulas in cells, empty
files, XLSX that is not a spreadsheet. Each is loaded into a database: it either loads (the
mutation left a valid file) or raises LoadError with a clear message — never another exception,
never an 'internal error' — and a refused file leaves the database byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.conftest import ROOT
from workforce.ingest.loader import LoadError, check_files, load_files

pytestmark = pytest.mark.slow  # hundreds of generated files: in the full run, not the quick one

SAMPLES = ROOT / "data" / "samples"
CSV_SAMPLES = sorted(p.read_text(encoding="utf-8") for p in [*SAMPLES.glob("*.csv"),  # and real NHS slices
                                                               *(ROOT / "tests" / "fixtures" / "nhs").glob("*.csv")])
XLSX_SAMPLES = sorted(p.read_bytes() for p in SAMPLES.glob("*.xlsx"))
NASTY = [",", '"', "\n", "\r\n", "\r", "\x00", ";", "\t", " ", "é", "–", "\ufeff", "=SUM(A1:A9)", "=cmd|'/c calc'!A0",
         "1e400", "-1", "NaN", "inf", "9" * 40, "*", ".", "", "2099-01", "0x1F", "１２", "\u202e", "<script>", "'"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]
FUZZ = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])


class Target:
    """A database to load into; reset from the pristine copy only after a load that changed it."""

    def __init__(self, pristine: Path, folder: Path):
        self.pristine, self.folder = pristine, folder
        self.path = folder / "fuzz.duckdb"
        self.sha = hashlib.sha256(pristine.read_bytes()).hexdigest()
        shutil.copyfile(pristine, self.path)

    def attempt(self, content: bytes, name: str = "upload.csv") -> None:
        source = self.folder / "input.bin"
        source.write_bytes(content)
        try:
            load_files([source], _config(), db_path=self.path, names=[name], wait_seconds=5)
        except LoadError as exc:
            message = str(exc)
            assert message.strip() and "internal error" not in message, message
            assert hashlib.sha256(self.path.read_bytes()).hexdigest() == self.sha, "a refused load changed the database"
        else:  # the mutation left a valid file: it loaded; start the next example from the pristine copy
            shutil.copyfile(self.pristine, self.path)


_CONFIG = {}


def _config():
    if "config" not in _CONFIG:
        from workforce.base.config import load_config
        _CONFIG["config"] = load_config(ROOT / "config.yaml")
    return _CONFIG["config"]


@pytest.fixture(scope="module")
def target(small_db_path):
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        yield Target(small_db_path, Path(folder))


@st.composite
def mutated_csv(draw) -> bytes:
    text = draw(st.sampled_from(CSV_SAMPLES))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "truncate", "cell", "swap_lines"]))
        at = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(NASTY)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif kind == "truncate":
            text = text[:at]
        elif kind == "cell":
            lines = text.split("\n")
            row = draw(st.integers(0, max(0, len(lines) - 1)))
            cells = lines[row].split(",")
            cells[draw(st.integers(0, max(0, len(cells) - 1)))] = draw(
                st.sampled_from(NASTY) | st.text(max_size=30) | st.floats(allow_nan=True).map(repr))
            lines[row] = ",".join(cells)
            text = "\n".join(lines)
        else:
            lines = text.split("\n")
            draw(st.randoms()).shuffle(lines)
            text = "\n".join(lines)
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


def _writable(text: str) -> str:
    """Text openpyxl agrees to write (it refuses control characters in cells)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


@st.composite
def broken_xlsx(draw) -> bytes:
    kind = draw(st.sampled_from(["truncate", "flip", "zip_junk", "odd_cells"]))
    if kind == "truncate":
        data = draw(st.sampled_from(XLSX_SAMPLES))
        return data[:draw(st.integers(4, len(data) - 1))]
    if kind == "flip":
        data = bytearray(draw(st.sampled_from(XLSX_SAMPLES)))
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(4, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
        return bytes(data)
    if kind == "zip_junk":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            names = draw(st.lists(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                                   "xl/_rels/workbook.xml.rels", "docProps/app.xml", "junk.bin"]),
                                  unique=True, max_size=5))
            for name in names:
                archive.writestr(name, draw(st.binary(max_size=200)))
        return out.getvalue()
    book = Workbook()
    sheet = book.active
    sheet.append(draw(st.sampled_from([["period", "org_code", "staff_group", "measure", "value"],
                                       ["Org code", "Month", "Funds in", "Payments"], ["a", "b"]])))
    cell = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False),
                     st.sampled_from(NASTY + ["2025-01", "RWH", "Midwives", "headcount"]).map(_writable),
                     st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20))
    for _ in range(draw(st.integers(0, 6))):
        sheet.append(draw(st.lists(cell, min_size=0, max_size=7)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FUZZ
@given(content=st.binary(max_size=3000), prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04",
                                                                    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF"]))
def test_random_bytes(target, content, prefix):
    target.attempt(prefix + content)


@settings(max_examples=160, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(content=mutated_csv())
def test_mutated_csv_files(target, content):
    target.attempt(content)


@FUZZ
@given(content=broken_xlsx())
def test_broken_workbooks(target, content):
    target.attempt(content, "upload.xlsx")


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=mutated_csv() | broken_xlsx() | st.binary(max_size=500))
def test_checking_never_raises(target, content):
    source = target.folder / "check.bin"
    source.write_bytes(content)
    check = check_files([source], _config(), db_path=target.path)[0]
    assert check.error is None or ("internal error" not in check.error and check.error.strip())
    assert check.error is not None or check.report is not None or check.total_problems > 0
