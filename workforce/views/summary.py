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
from ..base.formatting import financial_year, format_value, month_label, month_name, rounds_to_nothing
from ..measures.figure import KpiValue, performance
from ..measures.selection import Selection
from ..signals.spc import analyse, profile_from
from ..signals.spc.engine import SpcResult
from ..signals.spc.narrative import summary_sentence
from ..signals.assurance import Band, KpiSignals, analyse_kpi_series
from ..signals.outlook import BoardChance, OnCourse, board_chance, false_alarm_rate, on_course

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
    signals: KpiSignals | None = None  # the limits the target is judged on, seasonal limits, the baseline
    outlook: OnCourse | None = None    # the chance of meeting the target at the end of its period
    outlook_reason: str = ""           # why no chance is stated for a KPI with a target ('' otherwise)

    @property
    def sparkline(self) -> list[float]:
        values = self.latest.history["value"].dropna()  # none before the first headline figure
        return [float(v) for v in values.tail(SPARKLINE_MONTHS)]

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
        """The summary matrix's column: the icon, or why there is none ('withheld', 'no_limits',
        'no_target'), so a KPI with a target never sits under 'No target'."""
        return self.assurance_icon or self.assurance_reason

    @property
    def assurance_reason(self) -> str | None:
        """Why there is no assurance icon (None when there is one): withheld, no_limits, no_target."""
        if self.assurance_icon is not None:
            return None
        if self.assurance_note and "withheld" in self.assurance_note:
            return "withheld"
        if self.kpi.improvement_direction == "neutral":
            return "no_target"
        if self.latest.target is None:  # a KPI with a target but no figure here has no icon for want of data
            has_target = self.kpi.target is not None or bool(self.kpi.org_targets)
            return "no_limits" if self.latest.value is None and has_target else "no_target"
        return "no_limits"

    @property
    def assurance_words(self) -> str:
        """The assurance icon in words, or the real reason there is none."""
        from ..signals.spc.icons import assurance_text

        reason = self.assurance_reason
        if reason == "withheld":
            return "Assurance withheld: the process has shifted since its limits were set"
        if reason == "no_limits":
            return f"No assurance icon: {no_limits_reason(self.kpi, self.spc)}"
        if reason == "no_target" and self.kpi.improvement_direction == "neutral" and self.latest.target is not None:
            return "No assurance icon: neither higher nor lower is better"
        band = self.signals.band if self.signals is not None else None
        if self.assurance_icon and band is not None and band.months > 1:  # which limits the target is read on
            figure = "financial-year" if self.kpi.window == "fytd" else "12-month"
            return f"{assurance_text(self.assurance_icon)} (the {figure} figure's limits)"
        return assurance_text(self.assurance_icon)

    @property
    def variation_words(self) -> str:
        from ..signals.spc.icons import variation_text

        if self.variation_icon is None:
            return f"No variation icon: {no_limits_reason(self.kpi, self.spc)}"
        return variation_text(self.variation_icon)

    @property
    def outlook_text(self) -> str:
        """'71% chance of meeting 9.5% by March 2027'; for a KPI with a target but no chance stated,
        why not; '' without a target."""
        if self.outlook is None:
            return f"No chance of meeting the target stated: {self.outlook_reason}" if self.outlook_reason else ""
        return outlook_text(self.kpi, self.outlook)


def chance_words(probability: float) -> str:
    """A chance as a board reads it: 'less than 1%', '71%', 'more than 99%'."""
    if probability < 0.005:
        return "less than 1%"
    if probability > 0.995:
        return "more than 99%"
    return f"{probability:.0%}"


def outlook_text(kpi: Kpi, outlook: OnCourse | None) -> str:
    if outlook is None:
        return ""
    return (f"{chance_words(outlook.probability).capitalize()} chance of meeting "
            f"{format_value(outlook.target, kpi.format)} by {month_name(outlook.period)}")


def no_limits_reason(kpi: Kpi, result: SpcResult | None) -> str:
    """Why a KPI has no SPC icons, in words."""
    if kpi.spc_basis == "annual":
        if kpi.window == "annual":
            return "an annual figure (one point a year; limits need 13)"
        return ("a 12-month cohort figure compared one point a year (month by month its figures share 11 "
                "months); limits need 13 years")
    if result is None:
        return "no monthly figures for this selection (hidden where numbers are small, or not reported)"
    n = int(np.count_nonzero(~np.isnan(result.values)))
    return f"too few points ({n} months; limits need {result.profile.min_points_for_limits})"


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
    """period, value: the whole series SPC runs on (config spc_series); the chart shows its latest
    chart_months, but its limits come from a baseline held since its start or the latest change point.

    monthly: each month's own value (a 12-month flow's month, annualised over a stock);
    annual: one point a year — an annual KPI's figures, or a 12-month KPI's figures a year
    apart (non-overlapping cohorts); rolling_12m: the 12-month figure (its points overlap)."""
    if history.empty:
        return pd.DataFrame(columns=["period", "value"])
    column = "spc_value" if kpi.spc_basis == "monthly" and "spc_value" in history.columns else "value"
    frame = history[["period", column]].rename(columns={column: "value"})
    frame = frame[frame["value"].notna()].reset_index(drop=True)
    if kpi.spc_basis == "annual" and kpi.window != "annual" and not frame.empty:
        last = frame["period"].iloc[-1]
        frame = frame[[p.month == last.month for p in frame["period"]]].reset_index(drop=True)
    return frame


def kpi_signals(config: Config, kpi: Kpi, history: pd.DataFrame, orgs: list[str] | None = None,
                rebase_dates: tuple = ()) -> KpiSignals | None:
    """SPC on the KPI's SPC series, the Making Data Count way with the departures docs/spc.md lists:
    limits from the first baseline_months values after the start or the latest change point, held;
    seasonal or carry-over limits where config says; the target judged on the limits of the figure
    it is set on (a 12-month or financial-year figure: the limits of a 12-month mean). Annual
    series are run charts until they have enough points."""
    points = spc_history(config, kpi, history)
    if points.empty:
        return None
    target = kpi.target_at(history["period"].iloc[-1], orgs)
    target = target if kpi.improvement_direction != "neutral" else None
    profile = profile_from(config.spc.profile, **config.spc.overrides)
    if kpi.spc_basis == "annual":
        return KpiSignals(analyse(points["value"].tolist(), points["period"].tolist(), kpi.improvement_direction,
                                 target, rebase_dates=rebase_dates, profile=profile), None, False)
    return analyse_kpi_series(
        points["value"].to_numpy(float), list(points["period"]), improvement_direction=kpi.improvement_direction,
        target=target, months_in_figure=12 if kpi.window in ("rolling_12m", "fytd") else 1,
        seasonal=kpi.seasonal, carries_over=kpi.carries_over, rebase_dates=rebase_dates,
        baseline_points=config.spc.baseline_months, display_points=config.spc.chart_months, profile=profile)


def analyse_kpi(config: Config, kpi: Kpi, history: pd.DataFrame, orgs: list[str] | None = None,
                rebase_dates: tuple = ()) -> SpcResult | None:
    """The chart's SPC result for the KPI (kpi_signals)."""
    signals = kpi_signals(config, kpi, history, orgs, rebase_dates)
    return signals.result if signals else None


def sustained_shift(result: SpcResult | None) -> dt.date | None:
    """The month an unbroken run on one side of the mean (long enough to be a shift) began, when
    that run reaches the latest point: the process has moved away from the limits."""
    if result is None or not result.limits_shown or result.last_index is None:
        return None
    last = result.last_index
    run = int(result.shift_run[last])
    if run < result.profile.shift_points:
        return None
    if last - run + 1 >= 0:
        return result.dates[last - run + 1]
    end = result.dates[last]  # the run began before the months the chart shows (monthly points)
    months = end.year * 12 + end.month - 1 - (run - 1)
    return dt.date(months // 12, months % 12 + 1, 1)


def honest_signals(kpi: Kpi, latest: KpiValue, result: SpcResult | None,
                   band: Band | None = None) -> tuple[SpcResult | None, str, dt.date | None]:
    """The result as shown (assurance withheld while the process has left its limits), the
    reason to write beside the assurance icon, and the start of an unregistered shift.
    band: the limits the target is judged on (default: the latest monthly limits)."""
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
    low, high = (band.lower, band.upper) if band is not None else (limits.lpl, limits.upl) if limits else (0, 0)
    judged = "the 12-month figure" if band is not None and band.months > 1 else BASIS_WORDS[kpi.spc_basis]
    if (result.assurance_icon, verdict) in (("consistent_fail", "meets target"), ("consistent_pass", "misses target")):
        note = (f"The {latest.value_text} figure {verdict.split()[0]} the {latest.target_text} target, but the "
                f"process limits on {judged} ({fmt(max(low, 0))} to {fmt(high)}) lie "
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


ASSURANCE_OUTCOME = {"consistent_pass": "it will be met consistently (consistently passing)",
                     "consistent_fail": "it will not be met without a change in the process (consistently failing)",
                     "inconsistent": "it will be hit and miss"}


def band_sentence(kpi: Kpi, result: SpcResult, band: Band | None, seasonal: bool = False) -> str:
    """What the assurance icon says, on the limits of the figure the target is set on."""
    if band is None or result.assurance_icon not in ASSURANCE_OUTCOME:
        return ""
    fmt = lambda v: format_value(v, kpi.format)  # noqa: E731
    target = fmt(result.target)
    if band.months > 1:
        figure = "financial-year" if kpi.window == "fytd" else "12-month"
        where = f"its {figure} figure moves between {fmt(max(band.lower, 0))} and {fmt(band.upper)}"
        return f"While the monthly process stays as it is, {where}, so against the {target} target {ASSURANCE_OUTCOME[result.assurance_icon]}."
    months = " (seasonal limits: the range moves with the month)" if seasonal else ""
    return (f"While the process stays as it is, a month's figure falls between {fmt(max(band.lower, 0))} and "
            f"{fmt(band.upper)}{months}, so against the {target} target {ASSURANCE_OUTCOME[result.assurance_icon]}.")


def reading(kpi: Kpi, latest: KpiValue, result: SpcResult | None, note: str = "",
            signals: KpiSignals | None = None, outlook: OnCourse | None = None, outlook_reason: str = "") -> str:
    """The headline figure, then what SPC on the KPI's SPC series says, what the target's limits say,
    the chance of meeting the target, then any assurance note."""
    if latest.value is None and result is None:
        return f"No {kpi.label.lower()} figures for this selection."
    if result is None:
        return (f"{_headline(kpi, latest)} There is no SPC chart: the figures it would use are not available "
                "for this selection (hidden where the numbers are small, or not reported).")
    fmt = lambda v: format_value(v, kpi.format)  # noqa: E731
    run_chart = not result.limits_shown
    target = latest.target if run_chart else None  # with limits, the target is read on its own limits below
    shown = replace(result, target=target)
    headline = _headline(kpi, latest) if latest.value is not None else \
        f"There is no {'12-month' if kpi.window == 'rolling_12m' else 'headline'} figure yet for {kpi.label.lower()}."
    if kpi.spc_basis == "monthly" and kpi.window in ("rolling_12m", "fytd"):
        label = "The monthly figure" + (" (annualised)" if kpi.annualised else "")
        text = f"{headline} " + summary_sentence(
            shown, label=label, value_format=fmt, target=target,
            period_label=month_name(result.dates[result.last_index]))
    elif kpi.spc_basis == "annual" and kpi.window != "annual":
        text = f"{headline} " + summary_sentence(
            shown, label=f"Year on year, the {month_name(latest.period).split()[0]} figure",
            value_format=fmt, target=target, period_label=str(latest.period.year))
    else:
        text = summary_sentence(shown, label=kpi.label,
                                value_format=fmt, period_label=month_name(latest.period) if kpi.window != "annual"
                                else f"the {latest.period.year} figures", target=target)
        if latest.coverage_text:
            text += f" {latest.coverage_text.capitalize()}; the figure adds up those only."
    extra = [band_sentence(kpi, result, signals.band if signals else None, bool(signals and signals.seasonal))]
    if signals is not None and signals.season_missing:
        extra.append("The limits are not yet seasonal (24 months are needed to estimate the seasons), so a "
                     "winter rise or summer fall may show as a signal.")
    elif signals is not None and signals.seasonal:
        extra.append("Sickness moves with the seasons, so the centre line and limits move with the month.")
    if outlook is not None:
        chance = outlook_text(kpi, outlook)
        extra.append(f"On the year-end forecast: {chance[0].lower()}{chance[1:]}.")
    elif outlook_reason:
        extra.append(f"No chance of meeting the target is stated: {outlook_reason}.")
    return " ".join(part for part in (text, *extra, note) if part).strip()


def outlook_for(kpi: Kpi, latest: KpiValue) -> tuple[OnCourse | None, str]:
    """The chance of meeting the target at the end of its period (the financial year's March, with
    the target in force then), from the calibrated year-end forecast of the history up to the month;
    or None and why not, in words ('' when there is no target to meet)."""
    from ..signals.forecast import MIN_ERRORS, year_end_after, year_end_forecast

    if latest.value is None or kpi.improvement_direction == "neutral" or latest.history.empty \
            or latest.target is None or kpi.window == "annual":
        return None, ""
    forecast = year_end_forecast(kpi, latest.history[["period", "value"]].dropna())
    if forecast is None:
        march = year_end_after(latest.period)
        ahead = (march.year - latest.period.year) * 12 + march.month - latest.period.month
        return None, (f"the year-end forecast needs at least {MIN_ERRORS} earlier forecasts {ahead} months ahead "
                      "on this series to know how wrong it tends to be, and there are fewer")
    target = kpi.target_at(forecast.period)
    months = latest.history[["period", "spc_value"]] if "spc_value" in latest.history else None
    chance = on_course(forecast, target, kpi.improvement_direction, kpi.format, months, kpi.window)
    if chance is None:
        return None, (f"a {format_value(target, kpi.format)} target is met only if every month is nothing, and "
                      "each month's own figure is not known since April or for 12 months")
    return chance, ""


def summarise(config: Config, kpi: Kpi, latest: KpiValue, orgs: list[str] | None,
              rebase_dates: tuple = (), outlook: bool = True) -> KpiSummary:
    """One KPI's summary row: SPC on its SPC series now and a month earlier, the chance of meeting
    its target (unless `outlook` is False), and the reading."""
    signals = kpi_signals(config, kpi, latest.history, orgs, rebase_dates)
    result, note, shift = honest_signals(kpi, latest, signals.result if signals else None,
                                         signals.band if signals else None)
    previous, previous_note = None, ""
    if len(latest.history) > 1:
        before = kpi_signals(config, kpi, latest.history.iloc[:-1], orgs, rebase_dates)
        previous, previous_note, _ = honest_signals(kpi, latest, before.result if before else None,
                                                    before.band if before else None)
    chance, why_not = outlook_for(kpi, latest) if outlook else (None, "")
    return KpiSummary(kpi, latest, result, previous, reading(kpi, latest, result, note, signals, chance, why_not),
                      note, shift, previous is not None and previous.assurance_icon is None and "withheld" in previous_note,
                      signals, chance, why_not)


def board_summary(db: Database, config: Config, selection: Selection,
                  allowed: list[str] | None = None,
                  rebase: Mapping[str, Sequence[dt.date]] | None = None) -> tuple[dt.date | None, list[KpiSummary]]:
    """``rebase``: {kpi id: months the SPC limits are recalculated from} (change points)."""
    from ..protect.figures import latest_values  # every figure through one Scope
    from ..protect.scope import Scope, resolve

    scope = selection if isinstance(selection, Scope) else resolve(db, config, selection, allowed)
    month, values = latest_values(db, config, scope)
    orgs = list(scope.selection.orgs) or None
    rebase = rebase or {}
    rows = [summarise(config, kpi, latest, orgs, tuple(rebase.get(kpi.id, ())))
            for kpi, latest in zip(config.kpis, values)]
    return month, rows


def chance_on_the_board(config: Config, rows: list[KpiSummary]) -> BoardChance:
    """How many special-cause icons this board should expect by chance: its monthly charts with
    limits × the rules' false-alarm rate on a stable process (workforce/signals/outlook.py)."""
    charts = sum(1 for r in rows if r.spc is not None and r.spc.limits_shown and r.kpi.spc_basis == "monthly")
    profile = profile_from(config.spc.profile, **config.spc.overrides)
    return board_chance(charts, false_alarm_rate(profile, config.spc.baseline_months) if charts else 0.0)


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
        assurance_now = row.assurance_icon or ("withheld" if row.assurance_reason == "withheld" else None)
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


def verdict_of(row: KpiSummary) -> str:
    """'better' or 'worse' than target in the KPI's own direction, 'on target' when equal as shown,
    '' without a target (or for a KPI with no better direction)."""
    latest = row.latest
    judged = performance(row.kpi, latest.value, latest.target)
    if judged == "no target":
        return ""
    if rounds_to_nothing(latest.difference, row.kpi.format):
        return "on target"
    return "better" if judged == "meets target" else "worse"


def difference_words(row: KpiSummary) -> str:
    """'+2.5 pts worse', '−1.4 pts better', 'on target' (as shown), '–' with no target: the sign alone
    does not say which. Every view, the pack, the exports and the CLI table say it this way."""
    verdict = verdict_of(row)
    text = row.latest.difference_text
    return f"{text} {verdict}" if verdict in ("better", "worse") else (verdict or text)


def summary_frame(rows: list[KpiSummary], priority: str | None = None) -> pd.DataFrame:
    """One row per KPI as shown on the summary page and in exports (icons as SVG data URIs)."""
    from ..signals.spc.icons import assurance_svg, data_uri, variation_svg

    chosen = [r for r in rows if priority is None or r.kpi.priority == priority]
    return pd.DataFrame({
        "kpi": [r.kpi.id for r in chosen],
        "KPI": [r.kpi.label for r in chosen],
        "Period": [_period_text(r) for r in chosen],
        "Value": [r.latest.value_text for r in chosen],
        "Target": [r.latest.target_text for r in chosen],
        "Difference": [difference_words(r) for r in chosen],
        "Variation": [data_uri(variation_svg(r.variation_icon, 40)) for r in chosen],
        "Variation (text)": [r.variation_words for r in chosen],
        "Assurance": [data_uri(assurance_svg(r.assurance_icon, 40)) for r in chosen],
        "Assurance (text)": [r.assurance_words for r in chosen],
        "Chance of meeting target": [r.outlook_text or "–" for r in chosen],
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
