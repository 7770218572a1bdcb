"""Downloads and the board pack as a reader gets them: chart images at a fixed landscape size with
title, axes, units and legends whole, and the synthetic mark on every image, table, page and slide."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation

from tests.meetings_fixtures import build_exception_db
from workforce.views import export
from workforce.views.board import build_board
from workforce.base.db import Database
from workforce.base.formatting import axis_title
from workforce.store.records import Store
from workforce.meetings.pack import build_pack
from workforce.meetings.pack_file import render
from workforce.measures.selection import Selection
from workforce.signals.spc import analyse
from workforce.signals.spc.chart import spc_chart

# 13 months rising: the last 6 are a special-cause improvement (a 6-point trend)
SERIES = [10, 12, 10, 12, 10, 12, 10, 9, 10, 11, 12, 13, 14]
MONTHS = [dt.date(2025 + i // 12, i % 12 + 1, 1) for i in range(13)]
poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")


def screen_chart(**kwargs):
    """The chart as the KPI page draws it: container width, so only an export can fix its size."""
    result = analyse(SERIES, MONTHS, "increase", target=11, rebase_dates=())
    options = dict(title="Sickness absence rate", value_format=lambda v: f"{v:.1f}%",
                   y_title=axis_title("Sickness absence rate", "percent1"), width="container", height=340)
    return spc_chart(result, **{**options, **kwargs})


def ink(image: np.ndarray) -> np.ndarray:
    """True where a pixel is visibly not white."""
    return (image[..., :3] < 200).any(axis=-1)


def test_png_is_landscape_and_full_size():
    png = export.chart_png(screen_chart(), synthetic=True)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    assert width >= 1200 and height >= 600 and width > height
    marks = ink(np.asarray(image))
    h, w = marks.shape
    # something drawn in each band a reader needs: title (top left), y-axis title (left edge),
    # x-axis labels and legends (bottom), and the plot's right-hand end (nothing cut off there)
    assert marks[: h // 12, : w // 3].mean() > 0.01, "title band is blank"
    assert marks[h // 4: 3 * h // 4, : w // 40].mean() > 0.005, "y-axis title is missing"
    assert marks[-h // 10:, : w // 2].mean() > 0.005, "legend band is blank"
    assert marks[h // 6: -h // 6, -w // 10:].mean() > 0.005, "right end of the plot is blank"


def svg_texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)]


def test_svg_has_title_axes_units_legends_and_the_mark_whole():
    texts = svg_texts(export.chart_svg(screen_chart(), synthetic=True))
    for whole in ("Sickness absence rate", "Sickness absence rate (%)", "Mean", "Process limits", "Target",
                  "Common cause", "Special cause: improvement", "Special cause: concern", export.SYNTHETIC_MARK):
        assert whole in texts, f"{whole!r} is missing or cut"
    assert not [t for t in texts if t.endswith("…")]  # nothing truncated


def test_real_figures_carry_no_synthetic_mark():
    assert export.SYNTHETIC_MARK not in export.chart_svg(screen_chart(), synthetic=False)
    assert export.SYNTHETIC_MARK.encode() not in export.csv_bytes(pd.DataFrame({"a": [1]}))


def test_annual_chart_has_one_tick_per_year():
    years = [dt.date(2021 + i, 9, 30) for i in range(5)]
    result = analyse([6.85, 6.90, 6.98, 6.90, 6.95], years, "increase", target=7, rebase_dates=())
    chart = spc_chart(result, title="Staff engagement score (annual)", value_format=lambda v: f"{v:.2f}",
                      y_title="Staff engagement score", annual=True, width="container")
    texts = svg_texts(export.chart_svg(chart))
    assert [t for t in texts if re.fullmatch(r"\d{4}", t)] == ["2021", "2022", "2023", "2024", "2025"]
    assert "Mean" in texts and "Target" in texts  # no unlabelled black line


@pytest.mark.parametrize("label, fmt, expected", [
    ("Sickness absence rate", "percent1", "Sickness absence rate (%)"),
    ("Levy funds expired", "gbp", "Levy funds expired (£)"),
    ("Staff engagement score", "score2", "Staff engagement score"),
    ("Staff turnover (12-month leaver rate)", "percent1", "Staff turnover (12-month leaver rate, %)"),
    ("Apprenticeship starts as % of headcount", "percent2", "Apprenticeship starts as % of headcount"),
])
def test_axis_titles_name_the_unit(label, fmt, expected):
    assert axis_title(label, fmt) == expected


def test_csv_and_excel_say_synthetic_on_every_row_and_sheet():
    frame = pd.DataFrame({"Month": ["Jan 2026", "Feb 2026"], "Value (%)": [5.1, 5.3]})
    back = pd.read_csv(io.BytesIO(export.csv_bytes(frame, synthetic=True)), encoding="utf-8-sig")
    assert list(back.columns) == ["Data", "Month", "Value (%)"]
    assert (back["Data"] == export.SYNTHETIC_MARK).all() and back["Value (%)"].tolist() == [5.1, 5.3]
    sheets = pd.read_excel(io.BytesIO(export.excel_bytes({"Series": frame, "By group": frame}, synthetic=True)),
                           sheet_name=None)
    assert list(sheets) == ["Series", "By group"]
    assert all((s["Data"] == export.SYNTHETIC_MARK).all() for s in sheets.values())


# ------------------------------------------------------------------ the board pack


@pytest.fixture(scope="module")
def synthetic_pack(tmp_path_factory, small_db_path, config):
    db_path = build_exception_db(tmp_path_factory.mktemp("exports"), small_db_path, config)
    store = Store(tmp_path_factory.mktemp("store") / "store.sqlite")
    board = build_board(Database(db_path), config, Selection(ics="QM7"), store)
    pack = build_pack(dataclasses.replace(board, synthetic=True), exceptions_only=True)
    assert any(p.kind == "kpi" for p in pack.pages)
    return pack


@pytest.mark.slow
def test_every_slide_carries_the_mark(synthetic_pack):
    deck = Presentation(io.BytesIO(render(synthetic_pack, "pptx")))
    assert len(deck.slides) == len(synthetic_pack.pages)
    for number, slide in enumerate(deck.slides, start=1):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert any("SYNTHETIC DEMO DATA" in t for t in texts), f"slide {number} has no synthetic mark"


def test_pack_chart_images_carry_the_mark(synthetic_pack):
    from workforce.meetings.pack import pack_chart

    item = next(p.item for p in synthetic_pack.pages if p.kind == "kpi" and p.item.view.chart is not None)
    marked, plain = pack_chart(item, synthetic=True), pack_chart(item, synthetic=False)
    assert marked != plain
    # the mark is a subtitle line: the marked image is taller by that line and otherwise the same width
    assert Image.open(io.BytesIO(marked)).size[1] > Image.open(io.BytesIO(plain)).size[1]


@poppler
def test_every_pdf_page_carries_the_mark(synthetic_pack, tmp_path):
    path = tmp_path / "pack.pdf"
    path.write_bytes(render(synthetic_pack, "pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) == len(synthetic_pack.pages)
    for number, page in enumerate(pages, start=1):
        assert "SYNTHETIC DEMO DATA" in page, f"page {number} has no synthetic mark"
    # and the pages render (pdftoppm): one image per page
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(path), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page*.png"))) == len(pages)


def test_kpi_page_marks_its_downloads_on_synthetic_data(tmp_path, small_db_path, monkeypatch):
    import duckdb
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    path = tmp_path / "synthetic.duckdb"
    path.write_bytes(small_db_path.read_bytes())
    with duckdb.connect(str(path)) as con:  # the demo's flag, on the small fixture
        con.execute("DELETE FROM meta WHERE key = 'synthetic'")
        con.execute("INSERT INTO meta VALUES ('synthetic', 'true')")
    monkeypatch.setenv("WORKFORCE_DB", str(path))
    calls = []
    real = export.csv_bytes
    monkeypatch.setattr(export, "csv_bytes", lambda frame, synthetic=False: calls.append(synthetic) or real(frame, synthetic))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["kpi"] = "sickness_absence_rate"
    at.session_state["kpi_tab"] = "Data and downloads"  # only the open tab is drawn
    at.switch_page("pages/board/kpi.py").run()
    assert not at.exception
    assert calls == [True]


def test_exported_chart_title_names_the_place_and_month():
    # the screen's title is the KPI alone (the page says where and when); a pasted image must say it itself
    texts = svg_texts(export.chart_svg(screen_chart(), place="Central East, November 2026"))
    assert "Sickness absence rate — Central East, November 2026" in texts
    long = export.chart_svg(screen_chart(title="Apprenticeship levy utilisation — SPC on each month's figure; "
                                               "line: rolling 12 months (headline)"),
                            place="Hertfordshire and West Essex — Nurses & health visitors, November 2026")
    lines = [html.unescape(t) for t in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", long)]
    # too long for one line: the place has a line of its own (the month never split from its year), nothing cut
    assert lines == ["Apprenticeship levy utilisation — SPC on each month's figure; line: rolling 12 months",
                     "(headline)", "Hertfordshire and West Essex — Nurses & health visitors, November 2026"]
    assert all(len(t) <= export.EXPORT_TITLE_CHARS for t in lines)
    assert not [t for t in svg_texts(long) if t.endswith("…")]
