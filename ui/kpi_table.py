"""The summary's KPI table as HTML: every cell wraps and is shown in full at any screen width, the icons and
the 24-month line carry text alternatives, and each KPI's name is the link to its chart (WCAG 2.2 AA).
Built from project text (config labels, formatted figures), every piece escaped; no user text."""

from __future__ import annotations

from workforce.base.formatting import format_value, month_label
from workforce.signals.spc.icons import assurance_svg, data_uri, variation_svg, variation_text
from workforce.views.summary_view import BETTER_COLOUR, WORSE_COLOUR, difference_words, notes, short_outlook, verdict_of
from workforce.base.text import escape

SPARK_MONTHS = 24
SPARK_COLOUR = "#005EB8"  # NHS blue: 6.4:1 on white
CSS = """<style>
.kpi-table {border-collapse: collapse; width: 100%; font-size: 0.92rem; line-height: 1.3; color: #212B32;
    table-layout: fixed}
.kpi-table th, .kpi-table td {border-bottom: 1px solid #D8DDE0; padding: 6px 5px; text-align: left;
    vertical-align: middle}
.kpi-table thead th {background: #F0F4F5; font-weight: 600; border-bottom: 2px solid #AEB7BD}
.kpi-table th, .kpi-table td {overflow-wrap: anywhere}
.kpi-table img {display: block}
.kpi-note {font-size: 0.85rem; color: #4C6272; margin: 0.3rem 0 0.6rem}
.kpi-table a {color: #005EB8}
.sr-only {position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap}
.kpi-table a:focus-visible {outline: 3px solid #212B32; outline-offset: 2px; background: #FFEB3B; color: #212B32}
</style>"""
# (heading, width %): the same columns in every priority's table, whatever the words in them
COLUMNS = (("KPI", 19), ("Period", 9), ("Value", 7), ("Target", 7), ("vs target", 11), ("Variation", 8),
           ("Assurance", 9), ("On course", 10), ("Last 24 months", 10), ("Notes", 10))
ON_COURSE = ("On course: the chance of meeting the target by the end of the financial year (March), from the "
             "calibrated year-end forecast; the reading says it in full.")


def _e(text: object) -> str:
    return escape(text, into="html")


def sparkline(row, width: int = 72, height: int = 30) -> tuple[str, str]:
    """(SVG, words) for the KPI's last 24 months: a line in NHS blue ending in a dot, and what it shows."""
    history = row.latest.history.tail(SPARK_MONTHS)
    values = [float(v) for v in history["value"]]
    finite = [v for v in values if v == v]
    if len(finite) < 2:
        return "", "Too few months for a line."
    low, high = min(finite), max(finite)
    span = (high - low) or 1.0
    step = (width - 6) / (len(values) - 1)
    points = [(3 + i * step, 3 + (height - 6) * (1 - (v - low) / span)) for i, v in enumerate(values) if v == v]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    last_x, last_y = points[-1]
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
           f'<polyline points="{line}" fill="none" stroke="{SPARK_COLOUR}" stroke-width="1.6"/>'
           f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.6" fill="{SPARK_COLOUR}"/></svg>')
    fmt = row.kpi.format
    first, last = history["period"].iloc[0], history["period"].iloc[-1]
    words = (f"Last {len(values)} months, {month_label(first)} to {month_label(last)}: from "
             f"{format_value(finite[0], fmt)} to {format_value(finite[-1], fmt)}; lowest {format_value(low, fmt)}, "
             f"highest {format_value(high, fmt)}.")
    return svg, words


def _image(svg: str, alt: str, size: str = "") -> str:
    return f'<img src="{data_uri(svg)}" alt="{_e(alt)}"{size}>' if svg else f'<span class="sr-only">{_e(alt)}</span>'


def _row(row, period: str, link: str, commentary: str) -> str:
    verdict = verdict_of(row)
    colour = {"better": BETTER_COLOUR, "worse": WORSE_COLOUR}.get(verdict)
    style = f' style="color:{colour};font-weight:600"' if colour else ""
    spark, spark_words = sparkline(row)
    cells = [
        f'<th scope="row" class="kpi"><a href="{_e(link)}" target="_self">{_e(row.kpi.label)}</a></th>',
        f'<td>{_e(period)}</td>', f'<td>{_e(row.latest.value_text)}</td>',
        f'<td>{_e(row.latest.target_text)}</td>',
        f'<td{style}>{_e(difference_words(row))}</td>',
        f"<td>{_image(variation_svg(row.variation_icon, 40), variation_text(row.variation_icon))}</td>",
        f"<td>{_image(assurance_svg(row.assurance_icon, 40), row.assurance_words)}</td>",
        f"<td>{_e(short_outlook(row))}</td>",
        f"<td>{_image(spark, spark_words)}</td>",
        f'<td class="notes">{_e(notes(row, commentary))}</td>']
    return "<tr>" + "".join(cells) + "</tr>"


def kpi_table_html(rows, periods: list[str], links: list[str], commentary: dict[str, str], caption: str) -> str:
    """One priority's table: rows (workforce summary rows) with their period text and chart link."""
    widths = "".join(f'<col style="width:{w}%">' for _, w in COLUMNS)
    head = "".join(f'<th scope="col">{h}</th>' for h, _ in COLUMNS)
    body = "".join(_row(r, p, link, commentary.get(r.kpi.id, "")) for r, p, link in zip(rows, periods, links))
    return (f'{CSS}<table class="kpi-table"><caption class="sr-only">{_e(caption)}</caption>'
            f"<colgroup>{widths}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f'<p class="kpi-note">{_e(ON_COURSE)}</p>')
