"""How the summary screen reads to a board: what needs attention first, one short line per reading,
differences from target that say better or worse, and notes on the figures (stale, incomplete, a shift).

Pure functions over workforce.views.summary's rows, so the page, tests and any export say the same thing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .board import exception_reason, is_exception
from ..base.formatting import month_label
from ..measures.figure import performance
from .summary import KpiSummary, difference_words, verdict_of  # noqa: F401 (said here too)

# Making Data Count's blue (improvement) and orange (concern), darkened for text on white (WCAG AA)
BETTER_COLOUR, WORSE_COLOUR = "#005EB8", "#B34A00"


@dataclass(frozen=True)
class Attention:
    kpi_id: str
    label: str
    figure: str      # '6.2% against a 4.5% target (1.7 pts worse)'
    reason: str      # 'special-cause concern and consistently failing its target'


def needs_attention(rows: list[KpiSummary]) -> list[Attention]:
    """The exceptions (special-cause concern, or consistently failing the target), ranked by how long
    the signal has lasted and then by how far the figure is from its target (in the spread of the
    figure the target is judged on), not by one month's icon: one concern month is often chance."""
    chosen = [r for r in rows if is_exception(r) or unlikely_to_meet(r)]
    chosen.sort(key=lambda r: (-min(persistence(r), 12), -distance_from_target(r)))
    return [Attention(r.kpi.id, r.kpi.label, _figure(r), _reason(r)) for r in chosen]


UNLIKELY = 0.1  # a chance of meeting the target below this, while missing it now, needs attention


def unlikely_to_meet(row: KpiSummary) -> bool:
    """Missing its target now and under a 10% chance of meeting it at the period's end: whatever
    the icons say (an improving or shifted process can still be far off target)."""
    return (row.outlook is not None and row.outlook.probability < UNLIKELY
            and performance(row.kpi, row.latest.value, row.latest.target) == "misses target")


def persistence(row: KpiSummary) -> int:
    """Months the signal has lasted: the run of special-cause concern up to the latest point, or of
    months missing the target, whichever is longer."""
    concern = 0
    if row.spc is not None:
        for kind in reversed(row.spc.point_type):
            if kind != "special_cause_concern":
                break
            concern += 1
    missed = 0
    history = row.latest.history.dropna(subset=["value"])
    for period, value in zip(reversed(list(history["period"])), reversed(list(history["value"]))):
        if performance(row.kpi, float(value), row.kpi.target_at(period)) != "misses target":
            break
        missed += 1
    return max(concern, missed)


def distance_from_target(row: KpiSummary) -> float:
    """How far the figure is on the wrong side of its target, in σ of the figure the target is
    judged on (0 when it meets it or has no limits)."""
    latest, signals = row.latest, row.signals
    if latest.value is None or latest.target is None or signals is None or signals.band is None:
        return 0.0
    sigma = (signals.band.upper - signals.band.lower) / 6
    worse = latest.value - latest.target if row.kpi.improvement_direction == "decrease" else latest.target - latest.value
    return max(worse, 0.0) / sigma if sigma > 0 else 0.0


def _reason(row: KpiSummary) -> str:
    months = persistence(row)
    lasted = f" ({months} months in a row)" if months > 1 else " (this month only)"
    chance = f"; {row.outlook_text[0].lower()}{row.outlook_text[1:]}" if row.outlook else ""
    reason = exception_reason(row) or "missing its target"
    return reason + lasted + chance


def target_words(row: KpiSummary) -> str:
    """'target 9.5%', or 'no target' (never 'target –')."""
    if row.latest.target is None:
        if row.kpi.target is None and not row.kpi.org_targets:
            return "no target"
        return "no figure yet" if row.latest.period is None else "no target this month"
    return f"target {row.latest.target_text}"


def short_outlook(row: KpiSummary, compact: bool = False) -> str:
    """'71% by Mar 2027' beside the icons ('71%', '<1%', '>99%' when `compact`: the column says when);
    '–' without a target or forecast."""
    from .summary import chance_words

    if row.outlook is None:
        return "–"
    if compact:
        p = row.outlook.probability
        return "<1%" if p < 0.005 else ">99%" if p > 0.995 else f"{p:.0%}"
    return f"{chance_words(row.outlook.probability)} by {month_label(row.outlook.period)}"


def _figure(row: KpiSummary) -> str:
    latest = row.latest
    if latest.target is None:
        return latest.value_text
    verdict = verdict_of(row)
    return f"{latest.value_text} against a {latest.target_text} target" + (
        f" ({difference_words(row).lstrip('+−')})" if verdict else "")


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
