"""Finding 7 and 11 (formula injection): text from a URL, a file or a person is shown as typed —
never a link, image, icon or colour on screen — and never runs as a formula in a spreadsheet.

How "active" markdown is recognised here was checked in Chromium against Streamlit 1.67's renderer
(docs/security.md, Input handling): an unescaped `[..](..)`, a bare `http://`, `www.` or e-mail address
(auto-linked even when its dots are backslash-escaped), `:material/…:`, `:colour[…]` or `:emoji:`.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile

import pandas as pd
import pytest

from tests.conftest import ROOT
from tests.ui.test_pages import run as _run  # the app under AppTest with URL parameters
from workforce.views import export
from workforce.base.text import escape, neutralise_cell

ATTACKS = {
    "link": "[Sign in again](https://evil.example/)",
    "image": "![t](http://evil.example/track.png)",
    "bare www": "see www.evil.example now",
    "bare url": "http://evil.example/x",
    "email": "a@evil.example",
    "icon": ":material/warning: urgent",
    "colour": ":red[urgent]",
    "emoji": ":rotating_light:",
    "heading": "# Board decision",
    "underlined heading": "Board decision\n===",
    "html": "<img src=x onerror=alert(1)>",
}


def active_markdown(body: str) -> list[str]:
    """What in a markdown body Streamlit would turn into something other than the text typed."""
    found = []
    if re.search(r"(?<!\\)!?\[[^\]]*(?<!\\)\]\((?!\\)", body):
        found.append("link/image syntax")
    if re.search(r"(?i)https?://|www\\?\.|[\w.+-]@[\w-]+\\?\.", body):
        found.append("auto-link")
    if re.search(r":[a-z_]+(/[a-z_]+)?:|:[a-z]+(?:-background)?\\?\[", body):
        found.append("directive/icon/emoji")
    if re.search(r"(?m)^\s*#|^\s*=+\s*$", body) or "<img" in body:
        found.append("heading/html")
    return found


@pytest.mark.parametrize("name", ATTACKS)
def test_escape_leaves_nothing_active(name):
    assert active_markdown(ATTACKS[name]), "the detector must see the raw attack"
    assert active_markdown(escape(ATTACKS[name])) == []


def test_escape_keeps_the_words_readable():
    shown = escape("Pay award: 5% for band-5 nurses (see www.nhs.uk)").replace("\u2060", "").replace("\\", "")
    assert shown == "Pay award: 5% for band-5 nurses (see www.nhs.uk)"


def test_escape_drops_direction_overrides_and_clips():
    assert "\u202e" not in escape("abc\u202etxt.exe")
    assert len(escape("x" * 70_000, limit=80)) < 100


@pytest.fixture()
def small_app(monkeypatch, small_db_path):
    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))


@pytest.mark.parametrize("param", ["org", "period", "staff_group", "type", "ics"])
@pytest.mark.parametrize("attack", ["link", "image", "bare www", "icon", "colour"])
def test_url_values_in_warnings_are_inert(small_app, param, attack):
    at = _run(**{param: ATTACKS[attack]})
    assert not at.exception
    assert at.warning, "the dropped value is still reported"
    for warning in at.warning:
        assert active_markdown(warning.value) == [], warning.value


@pytest.mark.parametrize("attack", ["link", "image", "colour"])
def test_meeting_view_org_warning_is_inert(small_app, attack):
    at = _run("pages/meetings/present.py", org=ATTACKS[attack])
    assert not at.exception
    for warning in at.warning:
        assert active_markdown(warning.value) == [], warning.value


# ------------------------------------------------------------------ spreadsheet formula injection
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"Click\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_cells_never_start_a_formula(value):
    frame = pd.DataFrame({"who": [value], "count": [-3]})
    rows = list(csv.reader(io.StringIO(export.csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert not rows[1][0].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert rows[1][0].lstrip("'") == value           # the text itself is kept
    assert rows[1][1] == "-3"                        # numbers stay numbers


def test_excel_cells_are_text_not_formulas():
    data = export.excel_bytes({"Series": pd.DataFrame({"who": FORMULAS})})
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet, "xlsxwriter wrote a formula cell"


def test_plain_negative_numbers_as_text_are_left_alone():
    assert neutralise_cell("-3.2%") == "-3.2%"
    assert neutralise_cell("-2+3") == "'-2+3"


@pytest.mark.slow
def test_audit_log_csv_from_cli_by_is_neutralised(tmp_path, config):
    """`--by` is written to the audit log; the admin's CSV download must not carry the formula."""
    from tests.conftest import small_rows, write_csv
    from workforce.views.audit import audit_log

    db_path = tmp_path / "w.duckdb"
    source = write_csv(tmp_path / "small.csv", small_rows()[:50])
    result = subprocess.run([sys.executable, "-m", "workforce", "load", str(source), "--db", str(db_path),
                             "--by", FORMULAS[0]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    log = audit_log(db_path, None)
    assert (log["who"] == FORMULAS[0]).any()
    text = export.csv_bytes(log).decode("utf-8-sig")
    assert not any(cell.startswith("=") for row in csv.reader(io.StringIO(text)) for cell in row)


# ------------------------------------------------------------------ commentary written by a person
COMMENTARY = "Agreed at board: see www.evil.example, :material/warning: and :red[urgent] [here](https://evil.example/)"


def test_commentary_shown_as_typed(monkeypatch, tmp_path, small_db_path):
    import datetime as dt

    from workforce.store.records import Store

    store_path = tmp_path / "store.sqlite"
    Store(store_path).save_commentary("turnover_rate_12m", "ics:QM7", dt.date(2024, 12, 1), who="=HYPERLINK(1)",
                                      what_happened=COMMENTARY, why=COMMENTARY, actions=COMMENTARY)
    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))
    monkeypatch.setenv("WORKFORCE_STORE", str(store_path))
    for page, params in (("pages/board/kpi.py", {"kpi": "turnover_rate_12m"}), ("pages/meetings/register.py", {})):
        at = _run(page, **params)
        assert not at.exception
        bodies = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
        shown = [b for b in bodies if "Agreed at board" in b.replace("\\", "")]
        assert shown or page.endswith("register.py"), "the commentary is on the KPI page"
        for body in shown:
            assert active_markdown(body) == [], body


def test_audit_log_csv_from_the_your_name_box_is_neutralised(tmp_path, small_db_path):
    """The name typed in the commentary form is the `who` of the audit log's store events."""
    import datetime as dt

    from workforce.views.audit import audit_log
    from workforce.store.records import Store

    store = Store(tmp_path / "store.sqlite")
    store.save_commentary("turnover_rate_12m", "ics:QM7", dt.date(2024, 12, 1), who=FORMULAS[0], what_happened="x")
    log = audit_log(small_db_path, store)
    assert (log["who"] == FORMULAS[0]).any()
    text = export.csv_bytes(log).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert "'" + FORMULAS[0] in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_no_page_renders_table_cells_as_markdown():
    """st.table renders each cell as markdown (checked in Chromium: links, images and formulas
    appear), so user or file text in one would need escaping; the pages use st.dataframe, which
    shows cell text literally. This keeps it that way."""
    sources = [p for folder in ("pages", "ui") for p in (ROOT / folder).rglob("*.py")] + [ROOT / "app.py"]
    offenders = [str(p.relative_to(ROOT)) for p in sources if re.search(r"\bst\.table\(|\.table\(", p.read_text())]
    assert offenders == []


def test_cli_errors_carry_no_terminal_escape_sequences(tmp_path, small_db_path):
    """A file's header is echoed in the CLI's error: an ANSI sequence in it must not reach the terminal."""
    from workforce.cli import main as cli

    path = tmp_path / "ansi.csv"
    path.write_text("\x1b]0;owned\x07\x1b[2J\x1b[31mred,b\n1,2\n")
    err = io.StringIO()
    code = cli.main(["load", str(path), "--db", str(tmp_path / "x.duckdb"), "--dry-run"], io.StringIO(), err)
    assert code == 2 and "red" in err.getvalue()
    assert "\x1b" not in err.getvalue() and "\x07" not in err.getvalue()
