"""Finding 9 (issue 19): a workbook whose shared-strings table is a bomb passed the bomb checks — a
0.6 MB file took 128 s and 1.37 GB for a dry run (a 6 MB one, ratio 151, under the limit of 200,
hit a 4 GB cap after 216 s): the string table was parsed before the cell and time caps applied.

The check runs in a child process with a memory limit and a time limit, so the attack cannot take
the test run down with it: the file must be refused, quickly, with a message that says why."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import COLUMNS, ROOT

STRINGS = 3_000_000          # 48 MB of <si><t>x</t></si>: under the 50 MB floor of the ratio check
CHILD_SECONDS = 120
CHILD_MEMORY = 3 * 2 ** 30


def strings_bomb(path: Path) -> Path:
    """A real workbook (the template's header and one row) with its sharedStrings.xml replaced by
    millions of one-letter strings."""
    book = Workbook()
    book.active.append(COLUMNS)
    book.active.append(["2024-12", "RWH", "Nurses & health visitors", "", "", "headcount", 120])
    plain = io.BytesIO()
    book.save(plain)
    body = b"<si><t>x</t></si>" * STRINGS
    table = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.'
             b'org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (STRINGS, STRINGS) + body + b"</sst>")
    relation = (b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    override = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", relation)
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", override)
            target.writestr(item, data)
        target.writestr("xl/sharedStrings.xml", table, zipfile.ZIP_DEFLATED)
    return path


CHILD = textwrap.dedent("""
    import resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
    from pathlib import Path
    from workforce.base.config import load_config
    from workforce.ingest.loader import check_files
    began = time.monotonic()
    check = check_files([Path(sys.argv[1])], load_config(), db_path=Path(sys.argv[2]))[0]
    print(round(time.monotonic() - began, 1))
    print(check.error)
""")


@pytest.mark.slow  # a child process
def test_9_a_shared_strings_bomb_is_refused_before_its_table_is_read(tmp_path):
    path = strings_bomb(tmp_path / "strings.xlsx")
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
    unpacked, packed = sum(e.file_size for e in entries), sum(e.compress_size for e in entries)
    assert path.stat().st_size < 1_000_000 and unpacked < 50 * 2 ** 20  # passes the zip-bomb checks as they were
    began = time.monotonic()
    try:
        child = subprocess.run([sys.executable, "-c", CHILD.format(memory=CHILD_MEMORY), str(path),
                                str(tmp_path / "x.duckdb")], cwd=ROOT, capture_output=True, text=True,
                               timeout=CHILD_SECONDS)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"checking a {path.stat().st_size:,}-byte workbook ran past {CHILD_SECONDS} s") from None
    assert child.returncode == 0, child.stderr[-2000:]
    seconds, error = child.stdout.strip().splitlines()[-2:]
    assert error != "None", "the workbook was read as data"
    assert "strings" in error, error
    assert float(seconds) < 20, f"refused only after {seconds} s"
    assert time.monotonic() - began < CHILD_SECONDS
