"""The board pack: structure of the PowerPoint and the PDF, the same pages in both, and the same
numbers as the summary page shows for the same selection."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from pptx import Presentation
from pptx.util import Emu, Inches
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.meetings_fixtures import build_exception_db
from workforce.views.board import build_board
from workforce.cli.main import main
from workforce.store.records import Store
from workforce.meetings.pack import build_pack, paginate, Para
from workforce.meetings.pack_file import render
from workforce.measures.selection import Selection

LONG = ("Recruitment and retention actions agreed with every trust. " * 70)[:3900].strip()  # near the limit
MARKUP = "<script>alert(1)</script> <b>not bold</b> **not bold either**"
poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    store = Store(tmp_path_factory.mktemp("pack") / "store.sqlite")
    store.save_commentary("turnover_rate_12m", "ics:QM7", dt.date(2024, 12, 1), who="Ann Smith",
                          what_happened=MARKUP + " " + LONG, why=LONG, actions="Stay conversations; exit interviews",
                          owner="Chief People Officer", due_date=dt.date(2025, 3, 31))
    store.save_commentary("sickness_absence_rate", "ics:QM7", dt.date(2024, 11, 1), who="Ann Smith",
                          what_happened="Winter pressures", actions="Flu vaccination drive", owner="OH lead")
    store.add_intervention(who="Ann Smith", date=dt.date(2024, 1, 15), label="Industrial action", ics="QM7")
    return store


@pytest.fixture(scope="module")
def db_path(tmp_path_factory, small_db_path, config):
    return build_exception_db(tmp_path_factory.mktemp("exception"), small_db_path, config)


@pytest.fixture(scope="module")
def board(db_path, config, store):
    from workforce.base.db import Database

    return build_board(Database(db_path), config, Selection(ics="QM7"), store)


@pytest.fixture(scope="module")
def pack(board):
    return build_pack(board)


@pytest.fixture(scope="module")
def deck(pack):
    return Presentation(io.BytesIO(render(pack, "pptx")))


@pytest.fixture(scope="module")
def pdf_path(pack, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "pack.pdf"
    path.write_bytes(render(pack, "pdf"))
    return path


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_pages(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def screen_figures(monkeypatch, db_path, store) -> dict[str, tuple[str, str, str]]:
    """Value, target and difference of every KPI as the summary page shows them."""
    monkeypatch.setenv("WORKFORCE_DB", str(db_path))
    monkeypatch.setenv("WORKFORCE_STORE", str(store.path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    figures = {}
    for frame in at.dataframe:
        if "Value" in frame.value.columns:
            for _, row in frame.value.iterrows():
                figures[row["KPI"]] = (row["Value"], row["Target"], row["Difference"])
    return figures


@pytest.mark.slow
def test_pages_in_order(pack, board):
    kinds = [p.kind for p in pack.pages]
    assert kinds[:3] == ["cover", "matrix", "table"]
    kpi_titles = [p.title for p in pack.pages if p.kind == "kpi"]
    assert kpi_titles == [k.label for k in board.config.kpis]
    turnover = kinds.index("kpi") + kpi_titles.index("Staff turnover (12-month leaver rate)")
    assert kinds[turnover + 1] == "commentary"  # the long commentary continues on its own pages
    assert kinds[-1] == "definitions" and kinds.count("definitions") >= 2


def test_pptx_structure(deck, pack):
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))  # 16:9
    assert len(deck.slides) == len(pack.pages)
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles == [p.title for p in pack.pages]
    cover = slide_text(deck.slides[0])
    assert "Hertfordshire and West Essex" in cover and "Data as at December 2024" in cover
    for slide, page in zip(deck.slides, pack.pages):
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        if page.kind == "kpi" and page.item.view.chart is not None:
            chart = next(p for p in pictures if p.name.startswith("SPC chart"))
            alt = chart._element.nvPicPr.cNvPr.get("descr")
            assert alt.startswith(f"SPC chart of {page.item.kpi.label}") and page.item.view.reading in alt
            assert chart.image.size[0] >= 1200  # high resolution
            assert Emu(chart.left + chart.width) <= Inches(13.333) and Emu(chart.top + chart.height) <= Inches(7.0)
            if page.item.summary.variation_icon:
                icon = next(p for p in pictures if p.name == "Variation icon")
                assert icon._element.nvPicPr.cNvPr.get("descr").startswith("Variation icon: ")
            assert page.item.view.reading in slide_text(slide)
        footer = next(s for s in slide.shapes if s.name == "Footer").text_frame.text
        assert "Data as at December 2024" in footer
    turnover = next(s for s in deck.slides if s.shapes.title.text == "Staff turnover (12-month leaver rate)")
    text = slide_text(turnover)
    assert MARKUP in text  # plain text, exactly as typed
    assert "Industrial action" in next(p for p in turnover.shapes if p.name.startswith("SPC chart")) \
        ._element.nvPicPr.cNvPr.get("descr")
    sickness = next(s for s in deck.slides if s.shapes.title.text == "Sickness absence rate")
    assert "Carried forward from Nov 2024" in slide_text(sickness) and "Flu vaccination drive" in slide_text(sickness)


def test_numbers_match_the_screen(deck, pdf_path, pack, monkeypatch, db_path, store):
    screen = screen_figures(monkeypatch, db_path, store)
    assert len(screen) == 14
    table = next(s for s in deck.slides if s.shapes.title.text == "KPIs at a glance")
    rows = next(shape.table for shape in table.shapes if shape.has_table).rows
    pptx = {row.cells[0].text: (row.cells[2].text, row.cells[3].text, row.cells[4].text) for row in list(rows)[1:]}
    assert pptx == screen
    assert screen["Staff turnover (12-month leaver rate)"] == ("19.6%", "11.0%", "+8.6 pts worse")  # lower is better
    for slide in deck.slides:  # each KPI slide's headline says the same
        label = slide.shapes.title.text
        if label in screen:
            value, target, difference = screen[label]
            subtitle = next(s for s in slide.shapes if s.name == "Subtitle").text_frame.text
            expected = f"{value} · target {target} · vs target {difference}" if target != "–" else f"{value} · no "
            assert subtitle.startswith(expected)  # never 'target – · vs target –'
            assert "target –" not in subtitle
    if shutil.which("pdftotext"):
        pages = pdf_pages(pdf_path)
        glance = pages[[p.kind for p in pack.pages].index("table")]
        for label, (value, target, difference) in screen.items():
            line = next(line for line in glance.splitlines() if line.strip().startswith(label[:28]))
            assert re.search(rf"{re.escape(value)}\s+{re.escape(target)}\s+{re.escape(difference)}", line), line


@poppler
def test_pdf_structure(pdf_path, pack):
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+%d\n" % len(pack.pages), info)
    assert "841.89 x 595.276 pts (A4)" in info  # A4 landscape
    pages = pdf_pages(pdf_path)
    for text, page in zip(pages, pack.pages):
        first = " ".join(page.title.split()[:3])
        assert first in " ".join(text.split()), page.title
        assert "Data as at December 2024" in text
    turnover = pages[[p.title for p in pack.pages].index("Staff turnover (12-month leaver rate)")]
    assert "<script>alert(1)</script>" in turnover and "**not bold either**" in " ".join(turnover.split())
    images = subprocess.run(["pdfimages", "-list", str(pdf_path)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    charts = [line for line in images if line.split()[2] == "image" and int(line.split()[3]) >= 1200]  # pixels
    assert len(charts) == sum(1 for p in pack.pages if p.kind == "kpi" and p.item.view.chart is not None)


@pytest.mark.slow
def test_exceptions_only_and_the_command_line(tmp_path, db_path, board, store):
    exceptions = [i.kpi.label for i in board.items if i.exception]
    assert exceptions == ["Sickness absence rate"]
    only = build_pack(board, exceptions_only=True)
    assert [p.title for p in only.pages if p.kind == "kpi"] == exceptions
    out = io.StringIO()
    target = tmp_path / "pack.pptx"
    assert main(["pack", "--format", "pptx", "--out", str(target), "--db", str(db_path), "--ics", "QM7",
                 "--period", "2024-12", "--exceptions-only", "--store", str(store.path)], out=out) == 0
    deck = Presentation(str(target))
    assert [s.shapes.title.text for s in deck.slides] == [p.title for p in only.pages]
    assert "pages" in out.getvalue() and "data as at December 2024" in out.getvalue()  # never 'december'
    err = io.StringIO()
    assert main(["pack", "--format", "pdf", "--out", str(tmp_path / "x.pdf"), "--db", str(db_path),
                 "--org", "XX9"], out=io.StringIO(), err=err) == 2
    assert "unknown organisation" in err.getvalue()


def test_long_text_is_split_never_cut():
    words = [f"w{i}" for i in range(3000)]
    paras = [Para(" ".join(words), "What happened"), Para("short", "Why")]
    pages = paginate(paras, 50, 10, 30, 120)
    assert all(sum(len(p.wrapped(50 if n == 0 else 120)) for p in page) <= (10 if n == 0 else 30)
               for n, page in enumerate(pages))
    rebuilt = " ".join(p.text for page in pages for p in page if p.label.startswith("What happened"))
    assert rebuilt.split() == words
    assert pages[-1][-1] == Para("short", "Why")


def test_each_chart_image_is_rendered_once_for_powerpoint_pdf_and_every_session(monkeypatch, small_db_path, config):
    """Chart images are shared (meetings.pack.CHART_IMAGES): the PowerPoint, then the PDF, then another
    session's pack of the same data render each chart once; a viewer who may see less gets their own."""
    from workforce.base.db import Database
    from workforce.meetings import pack as pack_module
    from workforce.meetings.pack_file import board_pack

    rendered = []
    real = pack_module.chart_png
    monkeypatch.setattr(pack_module, "chart_png", lambda spec: rendered.append(spec) or real(spec))
    pack_module.CHART_IMAGES.clear()
    db = Database(small_db_path)
    everyone = build_board(db, config, Selection(ics="QM7"))
    board_pack(db, config, None, fmt="pptx", board=everyone)
    charts = len(rendered)
    assert charts == sum(1 for i in everyone.items if i.view.has_chart) > 0
    board_pack(db, config, None, fmt="pdf", board=everyone)
    board_pack(db, config, None, fmt="pdf", board=build_board(db, config, Selection(ics="QM7")))
    assert len(rendered) == charts
    scoped = build_board(db, config, Selection(ics="QM7", orgs=("RWH",)), allowed=["RWH"])
    board_pack(db, config, None, fmt="pdf", board=scoped)
    assert len(rendered) > charts  # drawn from the scoped viewer's own figures, never the first board's images
