"""The board summary: each KPI's latest figure, target, SPC icons, sparkline and plain-English
reading for a selection — built once, shown on screen and exported in the board pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..base.config import Config, Kpi
from ..base.db import Database
from ..base.formatting import financial_year, format_value, month_label, month_name
from ..measures.kpi import KpiValue, performance
from ..measures.selection import Selection
from ..signals.spc import analyse, profile_from
from ..signals.spc.engine import SpcResult
from ..signals.spc.narrative import summary_sentence

SPARKLINE_MONTHS = 24


BASIS_WORDS = {"monthly": "each month's own figure", "rolling_12m": "the 12-month figure",
               "annual": "one figure a year"}


@dataclass
class KpiSummary:
    kpi: Kpi
    latest: KpiValue
    spc: SpcResult | None            # on the KPI's SPC series; assurance withheld when the process has shifted
    previous_spc: SpcResult | None   # the same series one month earlier, for "what changed"
    reading: str
    assurance_note: str = ""         # why the assurance icon is withheld, or why it differs from the figure
    shift_start: dt.date | None = None  # where an unregistered sustained shift began (a change point to offer)
    previous_withheld: bool = False  # a month earlier the assurance was withheld too

    @property
    def sparkline(self) -> list[float]:
        return [float(v) for v in self.latest.history["value"].tail(SPARKLINE_MONTHS)]

    @property
    def variation_icon(self) -> str | None:
        return self.spc.variation_icon if self.spc else None

    @property
    def assurance_icon(self) -> str | None:
        return self.spc.assurance_icon if self.spc else None

    @property
    def spc_basis(self) -> str:
        return self.kpi.spc_basis

    @property
    def matrix_assurance(self) -> str | None:
        """The summary matrix's column: 'withheld' (its own column, never 'no target') or the icon."""
        return "withheld" if self.assurance_icon is None and self.assurance_note else self.assurance_icon

    @property
    def assurance_words(self) -> str:
        """The assurance icon in words; a withheld icon says so rather than 'no target'."""
        from ..signals.spc.icons import assurance_text

        if self.assurance_icon is None and self.assurance_note:
            return "Assurance withheld: the process has shifted since its limits were set"
        return assurance_text(self.assurance_icon)


def spc_basis_text(kpi: Kpi) -> str:
    """What the SPC chart and icons are computed on, and why (shown beside the icons)."""
    if kpi.spc_basis == "monthly" and kpi.window in ("rolling_12m", "fytd"):
        headline = "12-month" if kpi.window == "rolling_12m" else "year-to-date"
        return (f"SPC on each month's own figure{' (annualised, ×12)' if kpi.annualised else ''}; the "
                f"{headline} figure is the headline, drawn as a line for context. Its points share most of "
                "their months, so limits on them would be far too narrow.")
    if kpi.spc_basis == "annual" and kpi.window != "annual":
        return ("SPC on one point a year (12-month periods that do not overlap): month by month the "
                "12-month figures share 11 of their months, so limits on them would be far too narrow.")
    if kpi.spc_basis == "rolling_12m":
        return "SPC on the 12-month figure (its points overlap, so limits are narrow: read signals with care)."
    return "SPC on one figure a year." if kpi.spc_basis == "annual" else "SPC on each month's figure."


def spc_history(config: Config, kpi: Kpi, history: pd.DataFrame) -> pd.DataFrame:
    """period, value: the series SPC runs on (config spc_series), over the latest chart_months.

    monthly: each month's own value (a 12-month flow's month, annualised over a stock);
    annual: one point a year — an annual KPI's figures, or a 12-month KPI's figures a year
    apart (non-overlapping cohorts); rolling_12m: the 12-month figure (its points overlap)."""
    if history.empty:
        return pd.DataFrame(columns=["period", "value"])
    column = "spc_value" if kpi.spc_basis == "monthly" and "spc_value" in history.columns else "value"
    frame = history[["period", column]].rename(columns={column: "value"})
    frame = frame[frame["value"].notna()].reset_index(drop=True)
    if frame.empty or kpi.spc_basis == "annual":
        if kpi.window != "annual" and not frame.empty:
            last = frame["period"].iloc[-1]
            frame = frame[[p.month == last.month for p in frame["period"]]].reset_index(drop=True)
        return frame
    return frame[_month_number(frame["period"]) > _month_number([frame["period"].iloc[-1]])[0]
                 - config.spc.chart_months].reset_index(drop=True)


def _month_number(periods) -> np.ndarray:
    return np.array([p.year * 12 + p.month for p in periods])


def analyse_kpi(config: Config, kpi: Kpi, history: pd.DataFrame, orgs: list[str] | None = None,
                rebase_dates: tuple = ()) -> SpcResult | None:
    """SPC on the KPI's SPC series (annual: a run chart, as too few points for limits), with
    limits from the baseline config states (the first baseline_months points after the window
    start or the latest change point; else every point since the latest change point)."""
    points = spc_history(config, kpi, history)
    if points.empty:
        return None
    target = kpi.target_at(history["period"].iloc[-1], orgs)
    profile = profile_from(config.spc.profile, **config.spc.overrides)
    fix = config.spc.baseline_months if kpi.spc_basis != "annual" else None
    return analyse(points["value"].tolist(), points["period"].tolist(), kpi.improvement_direction,
                   target if kpi.improvement_direction != "neutral" else None, rebase_dates=rebase_dates,
                   fix_after_n_points=fix if fix and fix < len(points) else None, profile=profile)


def sustained_shift(result: SpcResult | None) -> dt.date | None:
    """The month an unbroken run on one side of the mean (long enough to be a shift) began, when
    that run reaches the latest point: the process has moved away from the limits."""
    if result is None or not result.limits_shown or result.last_index is None:
        return None
    last = result.last_index
    run = int(result.shift_run[last])
    if run < result.profile.shift_points:
        return None
    return result.dates[last - run + 1]


def honest_signals(kpi: Kpi, latest: KpiValue, result: SpcResult | None) -> tuple[SpcResult | None, str, dt.date | None]:
    """The result as shown (assurance withheld while the process has left its limits), the
    reason to write beside the assurance icon, and the start of an unregistered shift."""
    if result is None:
        return None, "", None
    shift = sustained_shift(result)
    fmt = lambda v: format_value(v, kpi.format)  # noqa: E731
    if shift is not None and result.assurance_icon is not None:
        n = int(result.shift_run[result.last_index])
        side = "above" if result.relative_to_mean[result.last_index] > 0 else "below"
        note = (f"Assurance withheld: the last {n} {'months' if result.monthly else 'points'} are all {side} "
                f"the mean, so the process appears to have changed in {month_name(shift)} and its limits "
                f"no longer describe it. Register a change point at {month_name(shift)} to recalculate them.")
        return replace(result, assurance_icon=None), note, shift
    verdict = performance(kpi, latest.value, latest.target)
    limits = result.latest_limits
    if (result.assurance_icon, verdict) in (("consistent_fail", "meets target"), ("consistent_pass", "misses target")):
        note = (f"The {latest.value_text} figure {verdict.split()[0]} the {latest.target_text} target, but the "
                f"process limits on {BASIS_WORDS[kpi.spc_basis]} ({fmt(limits.lpl)} to {fmt(limits.upl)}) lie "
                f"wholly on the {'failing' if verdict == 'meets target' else 'passing'} side of it, so "
                f"{'meeting it is not yet a change in the process' if verdict == 'meets target' else 'this miss is not expected to last'}.")
        return result, note, shift
    return result, "", shift


def _headline(kpi: Kpi, latest: KpiValue) -> str:
    if kpi.window == "annual":
        when = f"the {latest.period.year} figures"
    elif kpi.window == "rolling_12m":
        when = f"the 12 months to {month_name(latest.period)}"
    elif kpi.window == "fytd":
        when = f"{financial_year(latest.period)} to date (April to {month_name(latest.period)})"
    else:
        when = month_name(latest.period)
    coverage = f" ({latest.coverage_text}; the figure adds up those only)" if latest.coverage_text else ""
    target = ""
    verdict = performance(kpi, latest.value, latest.target)
    if verdict != "no target":
        target = f", which {verdict.split()[0]} the {latest.target_text} target"
    return f"{kpi.label} was {latest.value_text} in {when}{coverage}{target}."


def reading(kpi: Kpi, latest: KpiValue, result: SpcResult | None, note: str = "") -> str:
    """The headline figure, then what SPC on the KPI's SPC series says, then any assurance note."""
    if latest.value is None:
        return f"No {kpi.label.lower()} figures for this selection."
    if result is None:
        return (f"{_headline(kpi, latest)} There is no SPC chart: the figures it would use are not available "
                "for this selection (hidden where the numbers are small, or not reported).")
    fmt = lambda v: format_value(v, kpi.format)  # noqa: E731
    withheld = result.assurance_icon is None and bool(note)
    shown, target = (replace(result, target=None), None) if withheld else (result, latest.target)
    if kpi.spc_basis == "monthly" and kpi.window in ("rolling_12m", "fytd"):
        label = "The monthly figure" + (" (annualised)" if kpi.annualised else "")
        text = f"{_headline(kpi, latest)} " + summary_sentence(
            shown, label=label, value_format=fmt, target=target,
            period_label=month_name(result.dates[result.last_index]))
    elif kpi.spc_basis == "annual" and kpi.window != "annual":
        text = f"{_headline(kpi, latest)} " + summary_sentence(
            shown, label=f"Year on year, the {month_name(latest.period).split()[0]} figure",
            value_format=fmt, target=target, period_label=str(latest.period.year))
    else:
        text = summary_sentence(shown, label=kpi.label, value_format=fmt,
                                period_label=month_name(latest.period) if kpi.window != "annual"
                                else f"the {latest.period.year} figures", target=target)
        if latest.coverage_text:
            text += f" {latest.coverage_text.capitalize()}; the figure adds up those only."
    return f"{text} {note}".strip()


def summarise(config: Config, kpi: Kpi, latest: KpiValue, orgs: list[str] | None,
              rebase_dates: tuple = ()) -> KpiSummary:
    """One KPI's summary row: SPC on its SPC series now and a month earlier, and the reading."""
    raw = analyse_kpi(config, kpi, latest.history, orgs, rebase_dates)
    result, note, shift = honest_signals(kpi, latest, raw)
    previous, previous_note = None, ""
    if len(latest.history) > 1:
        before = latest.history.iloc[:-1]
        previous, previous_note, _ = honest_signals(kpi, latest, analyse_kpi(config, kpi, before, orgs,
                                                                             rebase_dates))
    return KpiSummary(kpi, latest, result, previous, reading(kpi, latest, result, note), note, shift,
                      previous is not None and previous.assurance_icon is None and "withheld" in previous_note)


def board_summary(db: Database, config: Config, selection: Selection,
                  allowed: list[str] | None = None,
                  rebase: Mapping[str, Sequence[dt.date]] | None = None) -> tuple[dt.date | None, list[KpiSummary]]:
    """``rebase``: {kpi id: months the SPC limits are recalculated from} (change points)."""
    from ..protect.scope import Scope, latest_values, resolve  # every figure through one Scope

    scope = selection if isinstance(selection, Scope) else resolve(db, config, selection, allowed)
    month, values = latest_values(db, config, scope)
    orgs = list(scope.selection.orgs) or None
    rebase = rebase or {}
    rows = [summarise(config, kpi, latest, orgs, tuple(rebase.get(kpi.id, ())))
            for kpi, latest in zip(config.kpis, values)]
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
        assurance_now = row.matrix_assurance
        assurance_before = "withheld" if row.previous_withheld else before.assurance_icon
        if assurance_now != assurance_before:
            lines.append(f"{label}: assurance changed from {_words(assurance_before)} "
                         f"to {_words(assurance_now)}.")
        last = now.last_index
        if last is not None and now.point_type[last] != "common_cause" and \
                (len(before) == 0 or before.point_type[-1] == "common_cause"):
            lines.append(f"{label}: a new special-cause signal in {month_label(now.dates[last])} "
                         f"({', '.join(now.rules(last)) or now.point_type[last].replace('_', ' ')}).")
        if _off_target(row.latest, row.kpi) and not _off_target_before(row):
            lines.append(f"{label}: now off target ({row.latest.value_text} against {row.latest.target_text}).")
    return lines


def _words(icon: str | None) -> str:
    if icon == "withheld":
        return "withheld (the process has shifted)"
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
    from ..signals.spc.icons import assurance_svg, data_uri, variation_svg, variation_text

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
        "Assurance (text)": [r.assurance_words for r in chosen],
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
    if row.kpi.window == "fytd":
        text = f"Apr–{month_label(period)} (year to date)"
    latest = row.latest
    return text + (" · stale" if latest.stale else "") + (
        "" if latest.complete else f" · {latest.orgs_reporting} of {latest.orgs_expected} orgs")
