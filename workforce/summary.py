"""The board summary: each KPI's latest figure, target, SPC icons, sparkline and plain-English
reading for a selection — built once, shown on screen and exported in the board pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .config import Config, Kpi
from .db import Database
from .formatting import format_value, month_label, month_name
from .kpi import KpiValue, latest_values, performance
from .selection import Selection
from .spc import analyse, profile_from
from .spc.engine import SpcResult
from .spc.narrative import summary_sentence

SPARKLINE_MONTHS = 24


@dataclass
class KpiSummary:
    kpi: Kpi
    latest: KpiValue
    spc: SpcResult | None
    previous_spc: SpcResult | None   # the same series one month earlier, for "what changed"
    reading: str

    @property
    def sparkline(self) -> list[float]:
        return [float(v) for v in self.latest.history["value"].tail(SPARKLINE_MONTHS)]

    @property
    def variation_icon(self) -> str | None:
        return self.spc.variation_icon if self.spc else None

    @property
    def assurance_icon(self) -> str | None:
        return self.spc.assurance_icon if self.spc else None


def analyse_kpi(config: Config, kpi: Kpi, history: pd.DataFrame, orgs: list[str] | None = None,
                rebase_dates: tuple = ()) -> SpcResult | None:
    """SPC for a KPI's series (annual KPIs: a run chart, as too few points for limits)."""
    if history.empty:
        return None
    target = kpi.target_at(history["period"].iloc[-1], orgs)
    profile = profile_from(config.spc.profile, **config.spc.overrides)
    return analyse(history["value"].tolist(), history["period"].tolist(), kpi.improvement_direction,
                   target if kpi.improvement_direction != "neutral" else None, rebase_dates=rebase_dates,
                   profile=profile)


def reading(kpi: Kpi, latest: KpiValue, result: SpcResult | None) -> str:
    if latest.value is None or result is None:
        return f"No {kpi.label.lower()} figures for this selection."
    sentence = summary_sentence(result, label=kpi.label, value_format=lambda v: format_value(v, kpi.format),
                                period_label=month_name(latest.period) if kpi.window != "annual"
                                else f"the {latest.period.year} figures", target=latest.target)
    return sentence + _moved_away_caveat(result)


def _moved_away_caveat(result: SpcResult) -> str:
    """When the latest point is a special cause on the far side of the target from the limits, the
    assurance describes a process that has since changed: say so, and how to fix it."""
    last = result.last_index
    if last is None or len(result.groups) > 1 or result.assurance_icon not in ("consistent_pass", "consistent_fail"):
        return ""  # (with a recalculation already in place, the user has done what this would suggest)
    kind = result.point_type[last]
    if (kind, result.assurance_icon) not in (("special_cause_improvement", "consistent_fail"),
                                             ("special_cause_concern", "consistent_pass")):
        return ""
    return (" The process has shifted since the limits were set, so this assurance may no longer hold: "
            "mark the change as a change point in the intervention register to recalculate the limits.")


def board_summary(db: Database, config: Config, selection: Selection,
                  allowed: list[str] | None = None,
                  rebase: Mapping[str, Sequence[dt.date]] | None = None) -> tuple[dt.date | None, list[KpiSummary]]:
    """``rebase``: {kpi id: months the SPC limits are recalculated from} (change points)."""
    month, values = latest_values(db, config, selection, allowed)
    orgs = list(selection.orgs) or None
    rebase = rebase or {}
    rows = []
    for kpi, latest in zip(config.kpis, values):
        dates = tuple(rebase.get(kpi.id, ()))
        result = analyse_kpi(config, kpi, latest.history, orgs, dates)
        previous = (analyse_kpi(config, kpi, latest.history.iloc[:-1], orgs, dates)
                    if len(latest.history) > 1 else None)
        rows.append(KpiSummary(kpi, latest, result, previous, reading(kpi, latest, result)))
    return month, rows


def changes_since_last_month(rows: list[KpiSummary]) -> list[str]:
    """Plain-English lines: variation or assurance changed, new special causes, now off target."""
    lines = []
    for row in rows:
        now, before = row.spc, row.previous_spc
        if not now or not before or row.kpi.window == "annual":
            continue
        label = row.kpi.label
        if now.variation_icon != before.variation_icon:
            lines.append(f"{label}: variation changed from {_words(before.variation_icon)} "
                         f"to {_words(now.variation_icon)}.")
        if now.assurance_icon != before.assurance_icon:
            lines.append(f"{label}: assurance changed from {_words(before.assurance_icon)} "
                         f"to {_words(now.assurance_icon)}.")
        last = now.last_index
        if last is not None and now.point_type[last] != "common_cause" and \
                (len(before) == 0 or before.point_type[-1] == "common_cause"):
            lines.append(f"{label}: a new special-cause signal in {month_label(now.dates[last])} "
                         f"({', '.join(now.rules(last)) or now.point_type[last].replace('_', ' ')}).")
        if _off_target(row.latest, row.kpi) and not _off_target_before(row):
            lines.append(f"{label}: now off target ({row.latest.value_text} against {row.latest.target_text}).")
    return lines


def _words(icon: str | None) -> str:
    return (icon or "none").replace("_", " ")


def _off_target(latest: KpiValue, kpi: Kpi) -> bool:
    return performance(kpi, latest.value, latest.target) == "misses target"


def _off_target_before(row: KpiSummary) -> bool:
    history = row.latest.history
    if len(history) < 2:
        return False
    prev = history.iloc[-2]
    return performance(row.kpi, float(prev["value"]), row.kpi.target_at(prev["period"])) == "misses target"


def summary_frame(rows: list[KpiSummary], priority: str | None = None) -> pd.DataFrame:
    """One row per KPI as shown on the summary page and in exports (icons as SVG data URIs)."""
    from .spc.icons import assurance_svg, assurance_text, data_uri, variation_svg, variation_text

    chosen = [r for r in rows if priority is None or r.kpi.priority == priority]
    return pd.DataFrame({
        "kpi": [r.kpi.id for r in chosen],
        "KPI": [r.kpi.label for r in chosen],
        "Period": [_period_text(r) for r in chosen],
        "Value": [r.latest.value_text for r in chosen],
        "Target": [r.latest.target_text for r in chosen],
        "Difference": [r.latest.difference_text for r in chosen],
        "Variation": [data_uri(variation_svg(r.variation_icon, 40)) for r in chosen],
        "Variation (text)": [variation_text(r.variation_icon) for r in chosen],
        "Assurance": [data_uri(assurance_svg(r.assurance_icon, 40)) for r in chosen],
        "Assurance (text)": [assurance_text(r.assurance_icon) for r in chosen],
        "Last 24 months": [r.sparkline for r in chosen],
        "Reading": [r.reading for r in chosen],
        "Data": ["No data" if r.latest.period is None else "Stale" if r.latest.stale else "Up to date"
                 for r in chosen],
        "value": [r.latest.value for r in chosen],
        "target": [r.latest.target for r in chosen],
    })


def _period_text(row: KpiSummary) -> str:
    period = row.latest.period
    if period is None:
        return "–"
    text = str(period.year) if row.kpi.window == "annual" else month_label(period)
    return text + (" · stale" if row.latest.stale else "")
