"""Downloads: the same tables and charts as the screen, as CSV, Excel, PNG and SVG."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re

import altair as alt
import pandas as pd

from ..base.text import neutralise_frame
from ..protect.precision import DECIMALS

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


EXPORT_TITLE_CHARS = 95  # a longer title wraps onto a second line within the image


def marked(chart: alt.TopLevelMixin, synthetic: bool, place: str = "") -> alt.TopLevelMixin:
    """A copy of the chart whose title names where and when the figures are for (`place`: 'Central East,
    November 2026') and whose subtitle says they are synthetic (when they are), so both travel with the
    image wherever it is pasted."""
    if not synthetic and not place:
        return chart
    chart = copy.deepcopy(chart)
    label_in_place(chart, synthetic, place)
    return chart


def add_synthetic_mark(chart: alt.TopLevelMixin) -> None:
    """marked(chart, True), on the chart itself (a copy the caller made)."""
    label_in_place(chart, synthetic=True)


def label_in_place(chart: alt.TopLevelMixin, synthetic: bool, place: str = "") -> None:
    """marked(chart, synthetic, place), on the chart itself (a copy the caller made); a title with a
    place too long for one line (EXPORT_TITLE_CHARS) gives the place a line of its own, so 'November 2026'
    is never split, and nothing is cut."""
    import textwrap

    from .charts import wrapped_title

    title = chart.title if isinstance(chart.title, alt.TitleParams) else alt.TitleParams(
        chart.title if isinstance(chart.title, str) else "")
    if place:
        text = title.text if isinstance(title.text, str) else ""
        joined = f"{text} — {place}" if text else place
        title.text = joined if len(joined) <= EXPORT_TITLE_CHARS else [
            *textwrap.wrap(text, EXPORT_TITLE_CHARS), *textwrap.wrap(place, EXPORT_TITLE_CHARS)]
    if synthetic:
        subtitle = title.subtitle
        lines = [] if subtitle is alt.Undefined else [subtitle] if isinstance(subtitle, str) else list(subtitle)
        title.subtitle = [*lines, SYNTHETIC_MARK]
        title.subtitleColor = "#8A4B00"
    chart.title = wrapped_title(title, EXPORT_TITLE_CHARS) if place else title


def export_chart(chart: alt.TopLevelMixin, synthetic: bool = False, place: str = "") -> alt.TopLevelMixin:
    """The screen chart at a fixed landscape size on white: the same styling as the board pack, its title
    naming `place` (where and when) when given."""
    from .board import styled_chart

    styled = styled_chart(chart, width=EXPORT_PX[0], height=EXPORT_PX[1], font=EXPORT_FONT)
    if synthetic or place:
        label_in_place(styled, synthetic, place)
    return styled


def chart_png(chart: alt.TopLevelMixin, synthetic: bool = False, scale: float = EXPORT_SCALE, place: str = "") -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(vl_spec=export_chart(chart, synthetic, place).to_dict(), scale=scale)


def chart_svg(chart: alt.TopLevelMixin, synthetic: bool = False, place: str = "") -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(vl_spec=export_chart(chart, synthetic, place).to_dict())


# ---------------------------------------------------------------- tables as people read them
HEADINGS = {"spc_value": "SPC series value", "mean": "Mean", "upper_process_limit": "Upper process limit",
            "lower_process_limit": "Lower process limit", "point_type": "SPC signal", "spc_basis": "SPC on",
            "target": "Target", "vs_ics": "Difference from the whole selection",
            "relative_likelihood": "Relative likelihood", "rl_lower95": "Relative likelihood, lower 95% limit",
            "rl_upper95": "Relative likelihood, upper 95% limit", "rl_text": "Relative likelihood in words",
            "suppression_reason": "Why hidden"}
ROUNDED = ("spc_value", "mean", "upper_process_limit", "lower_process_limit", "target", "vs_ics")


def for_people(sheets: dict[str, pd.DataFrame], kpi, config, where: str) -> dict[str, pd.DataFrame]:
    """The download tables as a person reads them: the KPI and where the figures are for on every row,
    months as 'Dec 2024', labelled columns with units, each value at display precision beside the exact
    value, the target, internal codes in words ('Special cause: improvement')."""
    from ..base.formatting import axis_title, code_words, month_label

    decimals = DECIMALS.get(kpi.format, 2)
    value_heading = axis_title(kpi.label, kpi.format)

    def measures(component) -> str:
        chosen = [config.measure_by_id[m] for m in component.measures]
        return f"{' + '.join(m.label for m in chosen)} ({chosen[0].unit})"

    def headings(column: str) -> str:
        if column == "numerator":
            return f"Numerator: {measures(kpi.numerator)}"
        if column == "denominator" and kpi.denominator is not None:
            return f"Denominator: {measures(kpi.denominator)}"
        return HEADINGS.get(column, code_words(column))

    out = {}
    for name, frame in sheets.items():
        table = frame.drop(columns=[c for c in ("kpi",) if c in frame.columns]).copy()
        months = None
        if "month" in table.columns:
            months = [dt.date.fromisoformat(f"{m}-01") for m in table.pop("month")]
        elif "period" in table.columns:
            months = [pd.Timestamp(p).date() for p in table.pop("period")]
        lead = pd.DataFrame({"KPI": kpi.label, "Where": where}, index=table.index)
        if months is not None:
            lead["Month"] = [month_label(m) for m in months]
        by = name.removeprefix("By ")
        if name.startswith("By ") and by in table.columns:  # the breakdown's own column next
            lead[by[:1].upper() + by[1:]] = table.pop(by)
        if "value" in table.columns:
            exact = pd.to_numeric(table.pop("value"), errors="coerce")
            lead[value_heading] = exact.round(decimals) + 0.0
            lead["Exact value"] = exact
            if "target" not in table.columns and months is not None:
                lead["Target"] = [kpi.target_at(m) for m in months]
        for column in ROUNDED:
            if column in table.columns:  # + 0.0: no '-0.0' in a download
                table[column] = pd.to_numeric(table[column], errors="coerce").round(decimals) + 0.0
        for column in ("numerator", "denominator"):
            if column in table.columns:
                table[column] = pd.to_numeric(table[column], errors="coerce").round(1) + 0.0
        if "point_type" in table.columns:
            table["point_type"] = [code_words(p) if isinstance(p, str) else "" for p in table["point_type"]]
        out[name] = pd.concat([lead, table.rename(columns=headings)], axis=1)
    return out
