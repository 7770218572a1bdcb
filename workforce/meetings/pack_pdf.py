"""The board pack as a PDF (A4 landscape): the same pages, in the same order, as the PowerPoint.

Boxes laid out on the 13.333 × 7.5 in slide canvas (workforce/meetings/pack.py) are stretched onto the A4
page; type sizes stay the same, so each box holds about the same text. User text is escaped
before reportlab sees it (its paragraphs understand a little markup, which must never apply).
"""

from __future__ import annotations

import functools
import html
import io
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Frame, KeepInFrame, Paragraph, Table, TableStyle

from .pack import (ASSURANCE_ICON, ASSURANCE_TEXT, BODY, CANVAS_H, CANVAS_W, CHART, COMMENTARY, COMMENTARY_PT,
                   CONCERN, CONTINUED_PT, DEFINITION_COLUMNS, FLAG_PT, DEFINITION_PT, FLAG, FOOTER, FOOTER_PT, ICON_TEXT_PT,
                   LINE_SPACING, MATRIX_FIRST_COLUMN, MATRIX_PT, NHS_BLACK, NHS_BLUE, NHS_DARK_BLUE, NHS_GREY,
                   READING_PT, RULE_Y, SUBTITLE, SUBTITLE_PT, SUMMARY_COLUMNS, TABLE_PT, TITLE, TITLE_PT,
                   VARIATION_ICON, VARIATION_TEXT, WARNING, Box, Pack, Page, Para, commentary_heading, reading_box, flag_text, icon_texts, png_size)

# Images are stored binary (Flate) without an ASCII85 layer: a PDF is a binary file anyway, and the
# layer made the chart pages a fifth bigger and slower to write.
rl_config.useA85 = 0

PAGE_W, PAGE_H = landscape(A4)
SX = PAGE_W / (CANVAS_W * 72)
SY = PAGE_H / (CANVAS_H * 72)

FONT_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/liberation2",
             "/usr/share/fonts/truetype/dejavu")
FONT_FILES = (("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"), ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
# Helvetica (the fallback) has no glyphs for these
FALLBACK_CHARS = {"−": "-", "≥": ">=", "≤": "<=", "→": "->", "←": "<-", "…": "...", "✓": "v", "×": "x"}


@functools.lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """A Unicode TrueType font (Liberation Sans: Arial's metrics) if installed, else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for regular, bold in FONT_FILES:
        for folder in FONT_DIRS:
            if (Path(folder) / regular).is_file() and (Path(folder) / bold).is_file():
                pdfmetrics.registerFont(TTFont("PackSans", str(Path(folder) / regular)))
                pdfmetrics.registerFont(TTFont("PackSans-Bold", str(Path(folder) / bold)))
                from reportlab.lib.fonts import addMapping

                addMapping("PackSans", 0, 0, "PackSans")
                addMapping("PackSans", 1, 0, "PackSans-Bold")
                addMapping("PackSans", 0, 1, "PackSans")
                addMapping("PackSans", 1, 1, "PackSans-Bold")
                return "PackSans", "PackSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _safe(text: str) -> str:
    """Plain text for a reportlab Paragraph: markup escaped, line breaks kept."""
    if fonts()[0] == "Helvetica":
        text = "".join(FALLBACK_CHARS.get(c, c if ord(c) < 256 else "?") for c in text)
    return html.escape(text, quote=False).replace("\n", "<br/>")


def _rect(box: Box) -> tuple[float, float, float, float]:
    """A canvas box (inches from the top left) as PDF points: x, y of the bottom, width, height."""
    x, w, h = box.x * 72 * SX, box.w * 72 * SX, box.h * 72 * SY
    return x, PAGE_H - box.y * 72 * SY - h, w, h


@functools.lru_cache(maxsize=64)
def _style(size: float, colour: str, bold: bool = False, space_after: float = 3) -> ParagraphStyle:
    regular, heavy = fonts()
    return ParagraphStyle(f"s{size}{colour}{bold}{space_after}", fontName=heavy if bold else regular, fontSize=size,
                          leading=size * LINE_SPACING, textColor=colors.HexColor(colour), alignment=TA_LEFT,
                          spaceAfter=space_after, splitLongWords=1)


PARA_LOOK = {"body": (NHS_BLACK, False), "meta": (NHS_GREY, False), "heading": (NHS_BLACK, True),
             "note": (WARNING, True)}


def _paragraph(para: Para, size: float, colour: str | None = None, bold: bool = False,
               space_after: float = 3) -> Paragraph:
    base, is_bold = PARA_LOOK[para.style]
    colour = colour or base
    size = size - 1 if para.style == "meta" else size
    lead = f"<b>{_safe(para.label)}:</b> " if para.label else ""
    text = _safe(para.text)
    return Paragraph(lead + (f"<b>{text}</b>" if bold or is_bold else text), _style(size, colour, False, space_after))


def _text(c, box: Box, paras: list[Para], size: float, *, heading: str | None = None, colour: str | None = None,
          bold: bool = False, space_after: float = 3) -> None:
    x, y, w, h = _rect(box)
    story = []
    if heading:
        story.append(Paragraph(f"<b>{_safe(heading)}</b>", _style(size, NHS_DARK_BLUE, False, space_after)))
    story += [_paragraph(p, size, colour, bold, space_after) for p in paras]
    frame = Frame(x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, showBoundary=0)
    # a safety net only: the page list was split so the text fits; never cut anything off
    frame.addFromList([KeepInFrame(w, h, story, mode="shrink")], c)


def _image(c, png: bytes, box: Box, opaque: bool = False) -> float:
    """Place a PNG in a box (keeping its shape, top left); return its bottom edge in canvas inches.
    ``opaque``: drawn on white already (a chart), so no transparency mask is worked out for it."""
    x, y, w, h = _rect(box)
    width, height = png_size(png)
    scale = min(w / width, h / height)
    c.drawImage(ImageReader(io.BytesIO(png)), x, y + h - height * scale, width * scale, height * scale,
                mask=None if opaque else "auto")
    return box.y + height * scale / (72 * SY)


def _table(c, rows: list[list[str]], widths: list[float], size: float, *, flags: list[bool] | None = None,
           first_column_bold: bool = False) -> None:
    x, y, w, h = _rect(BODY)
    cells = []
    for r, row in enumerate(rows):
        line = []
        for col, text in enumerate(row):
            header = r == 0
            style = _style(size, "#FFFFFF" if header else NHS_BLACK, False, 0)
            body = _safe(str(text))
            line.append(Paragraph(f"<b>{body}</b>" if header or (first_column_bold and col == 0) else body, style))
        cells.append(line)
    table = Table(cells, colWidths=[v * 72 * SX for v in widths], repeatRows=0)
    commands = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(NHS_BLUE)),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#FFFFFF")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    for r in range(1, len(rows)):
        shade = "#FBE3D0" if flags and flags[r] else ("#FFFFFF" if r % 2 else "#F4F6F7")
        commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor(shade)))
    table.setStyle(TableStyle(commands))
    frame = Frame(x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, showBoundary=0)
    frame.addFromList([KeepInFrame(w, h, [table], mode="shrink")], c)


def _page(c, pack: Pack, page: Page, number: int) -> None:
    c.bookmarkPage(f"p{number}")
    c.addOutlineEntry(page.title, f"p{number}", level=0)
    if page.kind == "cover":
        c.setFillColor(colors.HexColor(NHS_BLUE))
        c.rect(0, PAGE_H - 0.35 * 72 * SY, PAGE_W, 0.35 * 72 * SY, stroke=0, fill=1)
        _text(c, Box(0.8, 1.6, 11.7, 1.5), [Para(page.title)], 34, colour=NHS_BLUE, bold=True)
        _text(c, Box(0.8, 3.2, 11.7, 0.6), [Para(page.subtitle)], 22, colour=NHS_GREY)
        _text(c, Box(0.8, 4.0, 11.7, 2.7), page.paras, 16, space_after=8)
    else:
        _text(c, TITLE, [Para(page.title)], TITLE_PT, colour=NHS_BLUE, bold=True)
        _text(c, SUBTITLE, [Para(page.subtitle)], SUBTITLE_PT, colour=NHS_GREY)
        x, y, w, _ = _rect(Box(TITLE.x, RULE_Y, TITLE.w, 0.03))
        c.setFillColor(colors.HexColor(NHS_BLUE))
        c.rect(x, y, w, 0.03 * 72 * SY, stroke=0, fill=1)
    if page.kind == "matrix":
        columns = len(page.table[0]) - 1
        widths = [MATRIX_FIRST_COLUMN] + [(BODY.w - MATRIX_FIRST_COLUMN) / columns] * columns
        _table(c, page.table, widths, MATRIX_PT, first_column_bold=True)
    elif page.kind == "table":
        _table(c, page.table, [w for _, w in SUMMARY_COLUMNS], TABLE_PT, flags=page.flags)
    elif page.kind == "definitions":
        _table(c, page.table, [w for _, w in DEFINITION_COLUMNS], DEFINITION_PT, first_column_bold=True)
    elif page.kind == "kpi":
        _kpi_page(c, pack, page)
    elif page.kind == "commentary":
        _text(c, BODY, page.paras, CONTINUED_PT, space_after=4)
    _text(c, FOOTER, [Para(pack.footer(number))], FOOTER_PT, colour=NHS_GREY)


def _kpi_page(c, pack: Pack, page: Page) -> None:
    item = page.item
    png = pack.charts.get(item.kpi.id)
    bottom = CHART.y + 0.5
    if png:
        bottom = _image(c, png, CHART, opaque=True)
    else:
        _text(c, CHART, [Para("No chart: there are no figures for this selection.")], READING_PT)
    _text(c, reading_box(bottom), [Para(item.view.reading)], READING_PT)
    variation, assurance = icon_texts(item)
    for kind, icon, box, text_box, text in (
            ("variation", item.summary.variation_icon, VARIATION_ICON, VARIATION_TEXT, variation),
            ("assurance", item.summary.assurance_icon, ASSURANCE_ICON, ASSURANCE_TEXT, assurance)):
        icon_png = pack.icons.get(f"{kind}:{icon}")
        if icon_png:
            _image(c, icon_png, box)
        _text(c, text_box, [Para(text)], ICON_TEXT_PT)
    flag = flag_text(item)
    if flag:
        _text(c, FLAG, [Para(flag)], FLAG_PT, colour=CONCERN, bold=True)
    _text(c, COMMENTARY, page.paras, COMMENTARY_PT, heading=commentary_heading(pack.board))


def pdf_bytes(pack: Pack) -> bytes:
    out = io.BytesIO()
    c = pdf_canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
    c.setTitle(pack.title)
    c.setAuthor("ICS Workforce Dashboard")
    c.setSubject(f"{pack.board.selection_text}; {pack.board.as_at_text}")
    c.showOutline()
    for number, page in enumerate(pack.pages, start=1):
        _page(c, pack, page, number)
        c.showPage()
    c.save()
    return out.getvalue()
