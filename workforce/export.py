"""Downloads: the same tables and charts as the screen, as CSV, Excel, PNG and SVG."""

from __future__ import annotations

import io
import re

import altair as alt
import pandas as pd


def file_stem(*parts: str) -> str:
    """A safe, meaningful file name: 'turnover_rate_12m_QM7_2026-10'."""
    text = "_".join(p for p in parts if p)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-_")[:120] or "export"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8-sig")  # BOM: Excel opens UTF-8 correctly


def excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table, numbers kept as numbers, columns sized to fit."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        for name, frame in sheets.items():
            sheet = re.sub(r"[\[\]:*?/\\]", " ", name)[:31]
            frame.to_excel(writer, sheet_name=sheet, index=False)
            worksheet = writer.sheets[sheet]
            for i, column in enumerate(frame.columns):
                width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
                worksheet.set_column(i, i, min(60, width + 2))
    return buffer.getvalue()


def chart_png(chart: alt.TopLevelMixin, scale: float = 2) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(vl_spec=chart.configure(background="white").to_dict(), scale=scale)


def chart_svg(chart: alt.TopLevelMixin) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(vl_spec=chart.configure(background="white").to_dict())
