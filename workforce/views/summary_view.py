"""How the summary screen reads to a board: what needs attention first, one short line per reading,
differences from target that say better or worse, and notes on the figures (stale, incomplete, a shift).

Pure functions over workforce.views.summary's rows, so the page, tests and any export say the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .board import exception_reason, is_exception
from ..base.formatting import month_label
from ..measures.kpi import performance
from .summary import KpiSummary

# Making Data Count's blue (improvement) and orange (concern), darkened for text on white (WCAG AA)
BETTER_COLOUR, WORSE_COLOUR = "#005EB8", "#B34A00"


@dataclass(frozen=True)
class Attention:
    kpi_id: str
    label: str
    figure: str      # '6.2% against a 4.5% target (1.7 pts worse)'
    reason: str      # 'special-cause concern and consistently failing its target'


def needs_attention(rows: list[KpiSummary]) -> list[Attention]:
    """The exceptions (special-cause concern, or consistently failing the target), worst first:
    both reasons before one."""
    chosen = [r for r in rows if is_exception(r)]
    chosen.sort(key=lambda r: -len(exception_reason(r).split(" and ")))
    return [Attention(r.kpi.id, r.kpi.label, _figure(r), exception_reason(r)) for r in chosen]


def _figure(row: KpiSummary) -> str:
    latest = row.latest
    if latest.target is None:
        return latest.value_text
    verdict = verdict_of(row)
    return f"{latest.value_text} against a {latest.target_text} target" + (
        f" ({latest.difference_text.lstrip('+−± ')} {verdict})" if verdict in ("better", "worse") else "")


def verdict_of(row: KpiSummary) -> str:
    """'better' or 'worse' than target in the KPI's own direction, 'on target' when equal as shown,
    '' without a target (or for a KPI with no better direction)."""
    latest = row.latest
    judged = performance(row.kpi, latest.value, latest.target)
    if judged == "no target":
        return ""
    if latest.difference_text.startswith("±"):
        return "on target"
    return "better" if judged == "meets target" else "worse"


def difference_words(row: KpiSummary) -> str:
    """'+2.5 pts worse', '+1.4 pts better', '–' with no target: the sign alone does not say which."""
    verdict = verdict_of(row)
    text = row.latest.difference_text
    return f"{text} {verdict}" if verdict in ("better", "worse") else (verdict or text)


def short_reading(reading: str) -> str:
    """The reading's first sentence: the figure against its target (the rest is shown on demand)."""
    match = re.match(r"(.+?[.!?])(\s|$)", reading.strip())
    return match.group(1) if match else reading.strip()


def notes(row: KpiSummary, commentary: str = "") -> str:
    """What a reader should know about the figure beside it: commentary written, data out of date,
    organisations missing from the total, a sustained shift that may be a change point."""
    latest = row.latest
    parts = []
    if commentary == "current":
        parts.append("commentary")
    elif commentary == "carried":
        parts.append("open actions")
    if latest.period is None:
        parts.append("no data")
    elif latest.stale:
        parts.append("stale data")
    if latest.coverage_text:
        parts.append(latest.coverage_text.replace(" organisations reported", " reported"))
    if row.shift_start:
        parts.append(f"shift since {month_label(row.shift_start)}")
    return "; ".join(parts)
