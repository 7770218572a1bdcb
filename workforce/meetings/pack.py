"""The board pack: PowerPoint (16:9) and PDF (A4 landscape) with the same pages in the same order.

Both are drawn from one page list built from a Board (workforce/views/board.py) — the very summary,
views, readings and commentary the meeting view shows — so the paper matches the screen:
1. cover: plan, selection, data-as-at month, what is included;
2. the Making Data Count summary matrix;
3. every KPI's figures (value, target, difference, icons in words, commentary marker);
4. one page per KPI (or per exception): SPC chart, icons, reading and commentary, with
   continuation pages when the commentary is long;
5. an appendix of KPI definitions.

Geometry is in inches on a 13.333 × 7.5 in canvas; the PDF stretches each box onto A4 landscape
and keeps the type sizes, so a box holds about the same text in both. Text is split across pages
by a conservative estimate of what fits, so nothing is cut off; user text is always plain text.
This module builds the pages and draws the PowerPoint; pack_pdf draws the PDF; pack_file gives
either as a file.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache

from ..views.board import Board, BoardItem, exception_reason, styled_chart
from ..views.detail import formula_in_words, scope_in_words
from ..views.export import add_synthetic_mark
from ..base.formatting import format_value, month_label, month_name
from ..base.shared import SharedCache
from ..store.records import Commentary, CommentaryView
from ..signals.spc.chart import summary_matrix
from ..views.summary_view import difference_words, short_outlook, target_words
from ..signals.spc.icons import assurance_svg, icon_png, variation_svg

# ---------------------------------------------------------------- look
NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_BLACK = "#212B32"
NHS_GREY = "#425563"
NHS_PALE_GREY = "#E8EDEE"
NHS_BORDER = "#D8DDE0"
CONCERN = "#E46C0A"
WARNING = "#8A4B00"
FONT = "Arial"  # the PDF uses Liberation Sans (same metrics) where installed

CANVAS_W, CANVAS_H = 13.333, 7.5


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


TITLE = Box(0.45, 0.28, 12.4, 0.72)
SUBTITLE = Box(0.45, 0.98, 12.4, 0.42)
RULE_Y = 1.42
FOOTER = Box(0.45, 7.02, 12.4, 0.32)
BODY = Box(0.45, 1.58, 12.4, 5.3)
CHART = Box(0.45, 1.58, 7.7, 3.85)
READING = Box(0.45, 5.5, 7.7, 1.42)
ICON_SIZE = 0.78
VARIATION_ICON = Box(8.5, 1.58, ICON_SIZE, ICON_SIZE)
VARIATION_TEXT = Box(9.4, 1.62, 3.45, 0.74)
ASSURANCE_ICON = Box(8.5, 2.48, ICON_SIZE, ICON_SIZE)
ASSURANCE_TEXT = Box(9.4, 2.52, 3.45, 0.74)
FLAG = Box(8.5, 3.32, 4.35, 0.46)
COMMENTARY = Box(8.5, 3.86, 4.35, 3.04)

TITLE_PT, SUBTITLE_PT, FOOTER_PT = 26, 15, 9
READING_PT, ICON_TEXT_PT, COMMENTARY_PT, CONTINUED_PT, FLAG_PT = 13, 12, 11, 12, 11
TABLE_PT, DEFINITION_PT, MATRIX_PT = 10.5, 9.5, 12
CHART_PX = (600, 290)   # plot area in CSS pixels; rendered at 2× for print
CHART_FONT = 1.3

# ---------------------------------------------------------------- text fitting
AVERAGE_CHAR_EM = 0.55   # a cautious average character width for Arial in English text
LINE_SPACING = 1.25


def chars_per_line(width_in: float, font_pt: float) -> int:
    return max(8, int(width_in * 72 / (font_pt * AVERAGE_CHAR_EM)))


def lines_in(height_in: float, font_pt: float) -> int:
    return max(1, int(height_in * 72 / (font_pt * LINE_SPACING)))


@dataclass(frozen=True)
class Para:
    """One paragraph: an optional bold lead-in and plain text. style: body | meta | heading | note."""
    text: str
    label: str = ""
    style: str = "body"

    def wrapped(self, width: int) -> list[str]:
        lead = f"{self.label}: " if self.label else ""
        lines: list[str] = []
        for source in (lead + self.text).split("\n"):
            lines += textwrap.wrap(source, width, break_long_words=True, break_on_hyphens=True) or [""]
        return lines


def take(paras: list[Para], width: int, room: int) -> tuple[list[Para], list[Para]]:
    """The paragraphs that fit in ``room`` estimated lines of ``width`` characters, and the rest;
    a paragraph that does not fit is broken at a word, its second part marked '(continued)'."""
    fits: list[Para] = []
    for n, para in enumerate(paras):
        lines = len(para.wrapped(width))
        if lines <= room:
            fits.append(para)
            room -= lines
            continue
        if room >= 2:
            head, tail = _split(para, room, width)
            if head.text:
                return fits + [head], [tail] + paras[n + 1:]
        if not fits:  # a page must hold something: never loop forever
            head, tail = _split(para, max(room, 2), width)
            return [head], ([tail] if tail.text else []) + paras[n + 1:]
        return fits, paras[n:]
    return fits, []


def paginate(paras: list[Para], width: int, first: int, later: int,
             later_width: int | None = None) -> list[list[Para]]:
    """Split paragraphs into pages of at most ``first`` then ``later`` estimated lines
    (later pages may be wider: ``later_width``)."""
    page, rest = take(paras, width, first)
    pages = [page]
    while rest:
        page, rest = take(rest, later_width or width, later)
        pages.append(page)
    return pages


def _split(para: Para, lines: int, width: int) -> tuple[Para, Para]:
    """The first ``lines`` wrapped lines of a paragraph, and the rest."""
    text = para.text
    low, high = 0, len(text)
    while low < high:  # the longest prefix of the text that wraps into `lines` lines
        mid = (low + high + 1) // 2
        if len(Para(text[:mid], para.label, para.style).wrapped(width)) <= lines:
            low = mid
        else:
            high = mid - 1
    cut = text.rfind(" ", 0, low + 1) if low < len(text) else low
    cut = cut if cut > low * 0.6 else low
    label = para.label or ""
    if not label.endswith("(continued)"):
        label = f"{label} (continued)".strip()
    return Para(text[:cut].rstrip(), para.label, para.style), Para(text[cut:].lstrip(), label, para.style)


# ---------------------------------------------------------------- the page list
@dataclass
class Page:
    kind: str                      # cover | matrix | table | kpi | commentary | definitions
    title: str
    subtitle: str = ""
    item: BoardItem | None = None
    paras: list[Para] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    flags: list[bool] = field(default_factory=list)   # per table row: highlight (exceptions)


@dataclass
class Pack:
    board: Board
    exceptions_only: bool
    pages: list[Page]
    charts: dict[str, bytes]
    icons: dict[str, bytes]
    title: str
    built_at: dt.datetime

    def footer(self, number: int) -> str:
        """On every page and slide, so a page printed or a slide lifted alone still says what it is."""
        mark = "SYNTHETIC DEMO DATA, not real NHS figures · " if self.board.synthetic else ""
        return (f"{mark}{self.board.config.plan.name} · {self.board.selection_text} · {self.board.as_at_text} · "
                f"page {number} of {len(self.pages)}")

    @property
    def chosen(self) -> list[BoardItem]:
        return self.board.chosen(self.exceptions_only)


def _short_variation(icon: str | None) -> str:
    if icon is None:
        return "–"
    kind, _, side = icon.partition("_")
    if icon == "common_cause":
        return "Common cause"
    words = {"improvement": "Improvement", "concern": "Concern", "neutral": "Neither"}[kind]
    return f"{words} ({side})"


def _short_assurance(summary) -> str:
    """The icon in a word, or the real reason there is none."""
    key = summary.assurance_icon or summary.assurance_reason
    return {"consistent_pass": "Passing", "consistent_fail": "Failing", "inconsistent": "Hit and miss",
            "withheld": "Withheld (shift)", "no_limits": "None yet" if summary.kpi.spc_basis == "monthly"
            else "None (annual)", "no_target": "No target"}.get(key, "–")


def _commentary_meta(entry: Commentary, today: dt.date) -> str:
    return " · ".join(f"{label}: {text}" for label, text in entry.meta(today))


def commentary_paras(view: CommentaryView, today: dt.date | None = None) -> list[Para]:
    """The commentary as paragraphs: this month's, then the actions carried forward."""
    today = today or dt.date.today()
    out: list[Para] = []
    if view.current:
        entry = view.current
        for label, text in (("What happened", entry.what_happened), ("Why", entry.why),
                            ("Actions", entry.actions)):
            if text:
                out.append(Para(text, label))
        out.append(Para(_commentary_meta(entry, today), style="meta"))
    elif view.month:
        out.append(Para(f"No commentary has been written for {month_name(view.month)}.", style="meta"))
    for entry in view.carried:
        text = entry.actions or entry.what_happened or entry.why
        out.append(Para(text, f"Carried forward from {month_label(entry.month)}"))
        out.append(Para(_commentary_meta(entry, today), style="meta"))
    return out


def _target_words(config, kpi) -> str:
    direction = {"increase": "higher is better", "decrease": "lower is better",
                 "neutral": "neither higher nor lower is better"}[kpi.improvement_direction]
    if kpi.target is None:
        target = "No target"
    elif kpi.target.value is not None:
        target = format_value(kpi.target.value, kpi.format)
    else:
        target = "; ".join(f"{format_value(s.value, kpi.format)} from {month_label(s.from_)}"
                           for s in kpi.target.trajectory)
    if kpi.org_targets:
        target += "; " + "; ".join(f"{code}: {format_value(v, kpi.format)}" for code, v in kpi.org_targets.items())
    return f"{target} ({direction})"


# column widths (inches) of the tables; they sum to the body width
SUMMARY_COLUMNS = (("KPI", 2.65), ("Period", 1.45), ("Value", 0.9), ("Target", 0.9), ("vs target", 1.3),
                   ("Variation", 1.5), ("Assurance", 1.25), ("On course", 1.1), ("Commentary", 1.35))
DEFINITION_COLUMNS = (("KPI", 2.3), ("What it measures", 5.2), ("Source and caveats", 3.0), ("Target", 1.9))
MATRIX_FIRST_COLUMN = 2.4


def _summary_table(board: Board) -> tuple[list[list[str]], list[bool]]:
    marker = {"current": "Yes", "carried": "Carried forward", "": ""}
    rows = [[name for name, _ in SUMMARY_COLUMNS]]
    flags = [False]
    for item in board.items:
        latest = item.summary.latest
        rows.append([item.kpi.label, item.period_text, latest.value_text, latest.target_text,
                     difference_words(item.summary), _short_variation(item.summary.variation_icon),
                     _short_assurance(item.summary), short_outlook(item.summary), marker[item.commentary.marker]])
        flags.append(item.exception)
    return rows, flags


def _definition_pages(board: Board) -> list[Page]:
    rows = []
    for kpi in board.config.kpis:
        rows.append([kpi.label, f"{kpi.description}\n{formula_in_words(board.config, kpi)}\n"
                     f"Organisations: {scope_in_words(kpi)}",
                     kpi.source + (f"\nCaveats: {kpi.caveats}" if kpi.caveats else ""),
                     _target_words(board.config, kpi)])
    header = [name for name, _ in DEFINITION_COLUMNS]
    widths = [w for _, w in DEFINITION_COLUMNS]
    height = lambda row: max(len(Para(cell).wrapped(chars_per_line(w - 0.15, DEFINITION_PT)))  # noqa: E731
                             for cell, w in zip(row, widths)) * DEFINITION_PT * LINE_SPACING / 72 + 0.12
    pages, current, used = [], [header], height(header)
    for row in rows:
        if used + height(row) > BODY.h - 0.1 and len(current) > 1:
            pages.append(current)
            current, used = [header], height(header)
        current.append(row)
        used += height(row)
    pages.append(current)
    return [Page("definitions", "Appendix: KPI definitions" + (f" ({i + 1} of {len(pages)})" if len(pages) > 1 else ""),
                 "How each KPI is worked out, where the data come from, and its target", table=table)
            for i, table in enumerate(pages)]


def build_pages(board: Board, exceptions_only: bool = False, today: dt.date | None = None) -> list[Page]:
    config = board.config
    chosen = board.chosen(exceptions_only)
    exceptions = [i for i in board.items if i.exception]
    included = (f"Exceptions only: {len(chosen)} of {len(board.items)} KPIs (special-cause concern or "
                "consistently failing the target)" if exceptions_only else f"All {len(board.items)} KPIs")
    cover = [Para(board.selection_text, style="heading"),
             Para(board.as_at_text, style="heading"),
             Para(f"{included}; {len(exceptions)} exception{'s' if len(exceptions) != 1 else ''} in all."),
             Para(f"Commentary for {board.scope_text}."),
             Para(f"Prepared {board.built_at:%d %b %Y at %H:%M} from the ICS Workforce Dashboard.", style="meta")]
    if board.history:  # a new footprint's months before it began count its members at its start
        cover.append(Para(board.history, style="note"))
    if board.synthetic:
        cover.append(Para("Synthetic demo data: these figures are generated for demonstration and are not real "
                          "NHS workforce statistics.", style="note"))
    pages = [Page("cover", config.plan.name, "Workforce board pack", paras=cover)]
    matrix = summary_matrix([{"kpi": r.kpi.id, "label": r.kpi.label, "variation_icon": r.variation_icon,
                              "assurance_icon": r.matrix_assurance} for r in board.rows])
    grid = [["Variation \\ Assurance", *matrix.columns]]
    grid += [[str(name), *["\n".join(x for x in cell.split(", ") if x) for cell in cells]]
             for name, cells in matrix.iterrows()]
    pages.append(Page("matrix", "Making Data Count summary",
                      f"{board.selection_text} · {board.as_at_text}", table=grid))
    table, flags = _summary_table(board)
    pages.append(Page("table", "KPIs at a glance",
                      f"Exceptions (special-cause concern or consistently failing) are shaded · {board.as_at_text}",
                      table=table, flags=flags))
    if not chosen:
        pages.append(Page("commentary", "No exceptions this month",
                          board.as_at_text, paras=[Para("No KPI shows special-cause concern or consistently "
                                                        "fails its target for this selection.")]))
    for item in chosen:
        latest = item.summary.latest
        versus = f" · vs target {difference_words(item.summary)}" if latest.target is not None else ""
        chance = f" · {item.summary.outlook_text}" if item.summary.outlook_text else ""
        subtitle = f"{latest.value_text} · {target_words(item.summary)}{versus} · {item.period_text}{chance}"
        paras = commentary_paras(item.commentary, today)
        width = chars_per_line(COMMENTARY.w, COMMENTARY_PT)
        first = lines_in(COMMENTARY.h, COMMENTARY_PT) - 1  # a heading line
        later = lines_in(BODY.h, CONTINUED_PT) - 1
        parts = paginate(paras, width, first, later, chars_per_line(BODY.w, CONTINUED_PT))
        pages.append(Page("kpi", item.kpi.label, subtitle, item=item, paras=parts[0]))
        for n, part in enumerate(parts[1:], start=2):
            pages.append(Page("commentary", f"{item.kpi.label}: commentary (continued, {n} of {len(parts)})",
                              f"{board.scope_text} · {board.as_at_text}", item=item, paras=part))
    pages += _definition_pages(board)
    return pages


def commentary_heading(board: Board) -> str:
    return f"Commentary — {board.scope_text}, {month_label(board.month)}" if board.month else "Commentary"


# ---------------------------------------------------------------- images
def png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@lru_cache(maxsize=32)
def icon_image(kind: str, icon: str | None) -> bytes | None:
    if icon is None:
        return None
    svg = variation_svg(icon, 100) if kind == "variation" else assurance_svg(icon, 100)
    return icon_png(svg, size=240)


# Each chart image is rendered once per data generation and what the chart draws — the viewer's
# scope (so never one viewer's figures for another), the KPI, the register's events and change points,
# the synthetic mark — and reused by the PowerPoint and the PDF and by every session's pack.
CHART_IMAGES: SharedCache[bytes | None] = SharedCache(lambda png: len(png or b""), max_entries=512,
                                                      max_bytes=96 * 2**20, generation_of=lambda key: key[0])


def chart_image_key(item: BoardItem, synthetic: bool, generation: tuple | None, config_key: str) -> tuple:
    view, notes = item.view, item.annotations
    return (generation, config_key, view.scope, item.kpi.id, notes.events, notes.rebase_dates, synthetic)


def chart_png(spec_json: str) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(vl_spec=spec_json, scale=2)


def pack_chart(item: BoardItem, synthetic: bool = False) -> bytes | None:
    """The KPI's chart as a PNG for the pack (sized and styled for paper)."""
    if not item.view.has_chart:
        return None
    chart = styled_chart(item.view.chart, width=CHART_PX[0], height=CHART_PX[1], font=CHART_FONT)
    if synthetic:
        add_synthetic_mark(chart)
    return chart_png(chart.to_json(indent=None, validate=False))  # built from validated parts already


def shared_pack_chart(board: Board, item: BoardItem) -> bytes | None:
    """pack_chart, rendered once and shared (CHART_IMAGES)."""
    key = chart_image_key(item, board.synthetic, board.generation, str(board.config.source_path))
    return CHART_IMAGES.get(key, lambda: pack_chart(item, board.synthetic))


def chart_alt_text(item: BoardItem) -> str:
    events = "; ".join(f"{label} ({day:%d %b %Y})" for day, label in item.annotations.events)
    text = f"SPC chart of {item.kpi.label}. {item.view.reading}"
    return text + (f" Events marked: {events}." if events else "")


def build_pack(board: Board, exceptions_only: bool = False, today: dt.date | None = None) -> Pack:
    pages = build_pages(board, exceptions_only, today)
    charts = {}
    for page in pages:
        if page.kind == "kpi" and page.item is not None and page.item.kpi.id not in charts:
            png = shared_pack_chart(board, page.item)
            if png:
                charts[page.item.kpi.id] = png
    icons = {f"{kind}:{icon}": icon_image(kind, icon)
             for item in board.chosen(exceptions_only)
             for kind, icon in (("variation", item.summary.variation_icon),
                                ("assurance", item.summary.assurance_icon)) if icon}
    title = f"{board.config.plan.name} — board pack ({board.as_at_text})"
    return Pack(board, exceptions_only, pages, charts, icons, title, board.built_at)


def reading_box(chart_bottom: float) -> Box:
    """The reading sits just under the chart (whose height depends on the page's shape)."""
    top = min(chart_bottom + 0.15, READING.y)
    return Box(READING.x, top, READING.w, FOOTER.y - 0.08 - top)


def icon_texts(item: BoardItem) -> tuple[str, str]:
    return item.summary.variation_words, item.summary.assurance_words


def flag_text(item: BoardItem) -> str:
    return f"Exception: {exception_reason(item.summary)}" if item.exception else ""


# ---------------------------------------------------------------- PowerPoint
def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#"))


def _inches(box: Box):
    from pptx.util import Inches

    return Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h)


def _style_run(run, size: float, bold: bool = False, colour: str = NHS_BLACK, italic: bool = False) -> None:
    from pptx.util import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = _rgb(colour)


PARA_LOOK = {"body": (NHS_BLACK, False), "meta": (NHS_GREY, False), "heading": (NHS_BLACK, True),
             "note": (WARNING, True)}


def _text_box(slide, box: Box, paras: list[Para], size: float, *, heading: str | None = None,
              colour_override: str | None = None, bold: bool = False, name: str | None = None,
              space_after: float = 3) -> None:
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Pt

    shape = slide.shapes.add_textbox(*_inches(box))
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    first = True
    if heading:
        p = frame.paragraphs[0]
        _style_run(p.add_run(), size, bold=True, colour=NHS_DARK_BLUE)
        p.runs[0].text = heading
        p.space_after = Pt(space_after)
        first = False
    for para in paras:
        p = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        colour, is_bold = PARA_LOOK[para.style]
        if para.label:
            run = p.add_run()
            run.text = f"{para.label}: "
            _style_run(run, size, bold=True, colour=colour_override or colour)
        run = p.add_run()
        run.text = para.text
        _style_run(run, size if para.style != "meta" else size - 1, bold=bold or is_bold,
                   colour=colour_override or colour)
        p.space_after = Pt(space_after)


def _picture(slide, png: bytes, box: Box, alt: str, name: str) -> float:
    """Place a PNG in a box (keeping its shape, top left); return its bottom edge in inches."""
    from pptx.util import Inches

    width, height = png_size(png)
    scale = min(box.w / width, box.h / height)
    picture = slide.shapes.add_picture(io.BytesIO(png), Inches(box.x), Inches(box.y),
                                       Inches(width * scale), Inches(height * scale))
    picture.name = name
    properties = picture._element.nvPicPr.cNvPr
    properties.set("descr", alt)
    properties.set("title", name)
    return box.y + height * scale


def _table(slide, rows: list[list[str]], widths: list[float], box: Box, size: float, *,
           flags: list[bool] | None = None, first_column_bold: bool = False) -> None:
    from pptx.util import Inches

    shape = slide.shapes.add_table(len(rows), len(rows[0]), Inches(box.x), Inches(box.y), Inches(sum(widths)),
                                   Inches(0.3 * len(rows)))
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    for i, width in enumerate(widths):
        table.columns[i].width = Inches(width)
    for r, row in enumerate(rows):
        table.rows[r].height = Inches(0.28)
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            frame = cell.text_frame
            frame.word_wrap = True
            lines = str(text).split("\n")
            for n, line in enumerate(lines):
                p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
                run = p.add_run()
                run.text = line
                header = r == 0
                _style_run(run, size, bold=header or (first_column_bold and c == 0),
                           colour="#FFFFFF" if header else NHS_BLACK)
            cell.fill.solid()
            if r == 0:
                cell.fill.fore_color.rgb = _rgb(NHS_BLUE)
            elif flags and flags[r]:
                cell.fill.fore_color.rgb = _rgb("#FBE3D0")
            else:
                cell.fill.fore_color.rgb = _rgb("#FFFFFF" if r % 2 else "#F4F6F7")


def pptx_bytes(pack: Pack) -> bytes:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(CANVAS_W), Inches(CANVAS_H)
    prs.core_properties.title = pack.title
    prs.core_properties.author = "ICS Workforce Dashboard"
    prs.core_properties.subject = f"{pack.board.selection_text}; {pack.board.as_at_text}"
    layout = prs.slide_layouts[5]  # "Title Only": each slide has a real title (read by screen readers)
    for number, page in enumerate(pack.pages, start=1):
        slide = prs.slides.add_slide(layout)
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = _inches(TITLE if page.kind != "cover" else
                                                                   Box(0.8, 1.6, 11.7, 1.5))
        frame = title.text_frame
        frame.word_wrap = True
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.text = page.title
        for p in frame.paragraphs:
            p.alignment = 1  # left
            for run in p.runs:
                _style_run(run, TITLE_PT if page.kind != "cover" else 34, bold=True, colour=NHS_BLUE)
        from pptx.enum.text import MSO_ANCHOR
        frame.vertical_anchor = MSO_ANCHOR.TOP if page.kind != "cover" else MSO_ANCHOR.BOTTOM
        if page.kind == "cover":
            band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, Inches(0.35))
            band.fill.solid()
            band.fill.fore_color.rgb = _rgb(NHS_BLUE)
            band.line.fill.background()
            band.shadow.inherit = False
            _text_box(slide, Box(0.8, 3.2, 11.7, 0.6), [Para(page.subtitle)], 22, colour_override=NHS_GREY)
            _text_box(slide, Box(0.8, 4.0, 11.7, 2.7), page.paras, 16, space_after=8)
        else:
            _text_box(slide, SUBTITLE, [Para(page.subtitle)], SUBTITLE_PT, colour_override=NHS_GREY,
                      name="Subtitle")
            rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(TITLE.x), Inches(RULE_Y),
                                          Inches(TITLE.w), Inches(0.03))
            rule.fill.solid()
            rule.fill.fore_color.rgb = _rgb(NHS_BLUE)
            rule.line.fill.background()
            rule.shadow.inherit = False
        if page.kind == "matrix":
            columns = len(page.table[0]) - 1
            widths = [MATRIX_FIRST_COLUMN] + [(BODY.w - MATRIX_FIRST_COLUMN) / columns] * columns
            _table(slide, page.table, widths, BODY, MATRIX_PT, first_column_bold=True)
        elif page.kind == "table":
            _table(slide, page.table, [w for _, w in SUMMARY_COLUMNS], BODY, TABLE_PT, flags=page.flags)
        elif page.kind == "definitions":
            _table(slide, page.table, [w for _, w in DEFINITION_COLUMNS], BODY, DEFINITION_PT,
                   first_column_bold=True)
        elif page.kind == "kpi":
            _kpi_slide(slide, pack, page)
        elif page.kind == "commentary":
            _text_box(slide, BODY, page.paras, CONTINUED_PT, space_after=4)
        _text_box(slide, FOOTER, [Para(pack.footer(number))], FOOTER_PT, colour_override=NHS_GREY, name="Footer")
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _kpi_slide(slide, pack: Pack, page: Page) -> None:
    item = page.item
    png = pack.charts.get(item.kpi.id)
    bottom = CHART.y + 0.5
    if png:
        bottom = _picture(slide, png, CHART, chart_alt_text(item), f"SPC chart: {item.kpi.label}")
    else:
        _text_box(slide, CHART, [Para("No chart: there are no figures for this selection.")], READING_PT)
    _text_box(slide, reading_box(bottom), [Para(item.view.reading)], READING_PT, name="Reading")
    variation, assurance = icon_texts(item)
    for kind, icon, box, text_box, text in (
            ("variation", item.summary.variation_icon, VARIATION_ICON, VARIATION_TEXT, variation),
            ("assurance", item.summary.assurance_icon, ASSURANCE_ICON, ASSURANCE_TEXT, assurance)):
        png_icon = pack.icons.get(f"{kind}:{icon}")
        if png_icon:
            _picture(slide, png_icon, box, f"{kind.capitalize()} icon: {text}", f"{kind.capitalize()} icon")
        _text_box(slide, text_box, [Para(text)], ICON_TEXT_PT)
    flag = flag_text(item)
    if flag:
        _text_box(slide, FLAG, [Para(flag)], FLAG_PT, colour_override=CONCERN, bold=True)
    _text_box(slide, COMMENTARY, page.paras, COMMENTARY_PT, heading=commentary_heading(pack.board),
              name="Commentary")
