"""The summary's KPI tables as HTML (WCAG 2.2 AA): every figure in a cell that wraps, each icon and the
24-month line with a text alternative, the KPI's name the link to its chart — on the small fixture, whose
figures are worked out by hand in tests/measures/test_kpi.py."""

import html
import re

import pytest

from tests.ui.test_pages import run, small_app  # noqa: F401 - the fixture is reused


@pytest.fixture()
def tables():
    at = run()
    assert not at.exception
    return [m.value for m in at.html if 'class="kpi-table"' in m.value]


def row_of(tables: list[str], label: str) -> str:
    return next(row for table in tables for row in table.split("<tr>") if f">{label}</a>" in row)


def test_one_table_per_priority_with_its_caption(tables):
    assert len(tables) == 2
    assert ">Train: each KPI against its target</caption>" in tables[0]
    assert ">Retain: each KPI against its target</caption>" in tables[1]


def test_a_row_reads_in_full_with_text_alternatives(tables):
    row = row_of(tables, "Sickness absence rate")
    cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    # RWH and RWG: (50 + 100) FTE days lost of (1,000 + 3,000) available = 3.75% every month → 3.8%
    assert cells[:3] == ["Dec 2024", "3.8%", "4.5%"]
    assert "better" in cells[3]  # lower sickness is better: 0.7 pts below the target
    alts = [html.unescape(a) for a in re.findall(r'alt="([^"]*)"', row)]
    assert alts[-1] == "Last 24 months, Jan 2023 to Dec 2024: from 3.8% to 3.8%; lowest 3.8%, highest 3.8%."
    assert all(alts)  # no icon without words
    assert 'href="kpi?' in row and "kpi=sickness_absence_rate" in row


def test_no_row_is_cut_to_a_fixed_height(tables):
    # the data grid cut long text ("Apr–Nov 2(") and left an empty strip under the rows: a table has no height
    for table in tables:
        assert "height:" not in table.split("<table", 1)[1]
