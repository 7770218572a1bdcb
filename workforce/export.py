"""Downloads: the same tables and charts as the screen, as CSV, Excel, PNG and SVG."""

from __future__ import annotations

import copy
import io
import re

import altair as alt
import pandas as pd

from .text import neutralise_frame

SYNTHETIC_MARK = "Synthetic demo data: not real NHS workforce statistics"


def file_stem(*parts: str) -> str:
    """A safe, meaningful file name: 'turnover_rate_12m_QM7_2026-10'."""
    text = "_".join(p for p in parts if p)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-_")[:120] or "export"


SYNTHETIC_NOTE_COLUMN = "Data"


def with_synthetic_note(frame: pd.DataFrame, synthetic: bool) -> pd.DataFrame:
    """The table with a first column saying the figures are synthetic, on every row, so the mark
    survives filtering, sorting and copying rows elsewhere (a header line would not)."""
    if not synthetic:
        return frame
    return pd.concat([pd.DataFrame({SYNTHETIC_NOTE_COLUMN: SYNTHETIC_MARK}, index=frame.index), frame], axis=1)


def csv_bytes(frame: pd.DataFrame, synthetic: bool = False) -> bytes:
    frame = neutralise_frame(with_synthetic_note(frame, synthetic))   # no text cell can start a formula
    # BOM: Excel opens UTF-8 correctly; CRLF rows (RFC 4180) so a cell holding a lone CR is quoted
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def excel_bytes(sheets: dict[str, pd.DataFrame], synthetic: bool = False) -> bytes:
    """One sheet per table, numbers kept as numbers, columns sized to fit; synthetic figures
    carry a note column on every sheet."""
    buffer = io.BytesIO()
    # text is written as text: never a formula or a link, whatever it starts with
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        for name, frame in sheets.items():
            frame = with_synthetic_note(frame, synthetic)
            sheet = re.sub(r"[\[\]:*?/\\]", " ", name)[:31]
            frame.to_excel(writer, sheet_name=sheet, index=False)
            worksheet = writer.sheets[sheet]
            for i, column in enumerate(frame.columns):
                width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
                worksheet.set_column(i, i, min(60, width + 2))
    return buffer.getvalue()


EXPORT_PX = (960, 400)   # plot area in CSS pixels: a landscape image whatever the screen width
EXPORT_FONT = 1.25
EXPORT_SCALE = 1.5       # PNG pixels per CSS pixel: about 1,650 × 850 with title, axes and legends


def marked(chart: alt.TopLevelMixin, synthetic: bool) -> alt.TopLevelMixin:
    """A copy of the chart whose subtitle says the figures are synthetic (when they are), so the
    mark travels with the image wherever it is pasted."""
    if not synthetic:
        return chart
    chart = copy.deepcopy(chart)
    title = chart.title if isinstance(chart.title, alt.TitleParams) else alt.TitleParams(
        chart.title if isinstance(chart.title, str) else "")
    subtitle = title.subtitle
    lines = [] if subtitle is alt.Undefined else [subtitle] if isinstance(subtitle, str) else list(subtitle)
    title.subtitle = [*lines, SYNTHETIC_MARK]
    title.subtitleColor = "#8A4B00"
    chart.title = title
    return chart


def export_chart(chart: alt.TopLevelMixin, synthetic: bool = False) -> alt.TopLevelMixin:
    """The screen chart at a fixed landscape size on white: the same styling as the board pack."""
    from .board import styled_chart

    return styled_chart(marked(chart, synthetic), width=EXPORT_PX[0], height=EXPORT_PX[1], font=EXPORT_FONT)


def chart_png(chart: alt.TopLevelMixin, synthetic: bool = False, scale: float = EXPORT_SCALE) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(vl_spec=export_chart(chart, synthetic).to_dict(), scale=scale)


def chart_svg(chart: alt.TopLevelMixin, synthetic: bool = False) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(vl_spec=export_chart(chart, synthetic).to_dict())
