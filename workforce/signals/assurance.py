"""SPC for a KPI the way its question needs it: limits from a held baseline, seasonal limits where
the KPI moves with the seasons, and an assurance icon that answers the question its target asks.

- **Baseline, held.** Limits come from the first `baseline_points` values after the series starts
  or after the latest registered change point, and are held until the next one (Making Data
  Count) — never re-estimated over a rolling window, which would absorb a real shift. Rules run
  over the whole series; only the latest `display_points` are returned for the chart.
- **Seasonal limits** (workforce/signals/seasonal.py): the rules run on the value less its month's
  effect; the chart draws the real values against a centre and limits that move with the month.
- **The 12-month question.** A 12-month (or financial-year) figure is the mean of 12 monthly values,
  so while the monthly process is stable it moves within centre ± 3σ/√12, σ = mean moving range ÷
  1.128. Its target is judged against those limits, not the monthly ones: a trust at 22.8% against
  15%, monthly limits 13.7–30.3, has 12-month limits 19.6–24.4 and is consistently failing.
- **Carry-over** (config `carries_over: true`, e.g. vacancies: a vacant post stays vacant next
  month). Neighbouring months are then correlated, moving ranges understate the spread and runs on
  one side of the mean are common with no change at all. The rules run on what last month's figure
  did not predict: x_t − φ(x_t−1 − μ), with μ and the lag-1 autocorrelation φ from the baseline
  (Montgomery & Mastrangelo 1991, the moving-centre-line chart); the chart draws the real values
  with a centre that leans towards last month's figure.
- Limits never go below what the measure can take (0): drawn clipped. The assurance compares the
  target with the unclipped limits, so a £0 target at a clipped limit of £0 is still hit and miss.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

import numpy as np

from .spc.engine import LIMIT_FACTOR, SpcResult, analyse, assurance_icon
from .spc.profile import RuleProfile
from .seasonal import effect_of, month_effects

D2 = 1.128  # E|x_t − x_t−1| / σ for independent normal values
BASELINE_POINTS = 20
LINES = ("mean", "upl", "lpl", "upper_2sigma", "lower_2sigma")


@dataclass(frozen=True)
class Band:
    """Where the figure the target is judged on moves while the process is stable."""
    lower: float
    upper: float
    months: int          # 1: a month's figure; 12: a 12-month (or financial-year) figure


@dataclass(frozen=True)
class KpiSignals:
    result: SpcResult              # the chart's points (the latest display_points), icons included
    band: Band | None              # the limits the target is judged against (None: no limits)
    seasonal: bool                 # limits move with the calendar month
    season_missing: bool = False   # a seasonal KPI with too few months to estimate its seasons
    baseline_start: dt.date | None = None  # first month of the latest limits' baseline
    baseline_points: int = 0       # values the latest limits rest on


def twelve_month_band(mean: float, mean_moving_range: float, months: int = 12) -> tuple[float, float]:
    """centre ± 3σ/√months: where the mean of `months` values of a stable process falls."""
    half = 3 * mean_moving_range / D2 / math.sqrt(months)
    return mean - half, mean + half


def analyse_kpi_series(values, dates, *, improvement_direction: str, target: float | None,
                       months_in_figure: int = 1, seasonal: bool = False, rebase_dates=(),
                       baseline_points: int | None = BASELINE_POINTS, display_points: int | None = None,
                       profile: RuleProfile | None = None, floor: float | None = 0.0,
                       carries_over: bool = False) -> KpiSignals:
    """SPC on a KPI's SPC series (dates ascending, one per month for seasonal KPIs).

    months_in_figure: 12 when the target is judged on a 12-month or financial-year figure."""
    y = np.asarray(values, dtype=float)
    days = [_as_date(d) for d in dates]
    moy = np.array([d.month for d in days])
    group = _group_ids(days, rebase_dates)
    effects = month_effects(y, moy, group) if seasonal else None
    season = effect_of(effects, moy) if effects is not None else np.zeros(len(y))
    offset = season
    fix = baseline_points if baseline_points and baseline_points < len(y) else None
    carry = _carry_over(y - offset, group, fix) if carries_over else None
    if carry is not None:
        offset = offset + carry[0]
    raw = analyse(y - offset, days, improvement_direction, None, rebase_dates=rebase_dates,
                  fix_after_n_points=fix, profile=profile)
    raw = _reseasoned(raw, y, offset) if offset.any() else raw
    band = _band(raw, season, moy, months_in_figure, effects is not None,
                 carry[1] if carry is not None else 0.0)
    icon = None
    if raw.limits_shown and band is not None and target is not None:
        icon = assurance_icon(target, band.lower, band.upper, raw.improvement_direction,
                              raw.profile.target_on_limit)
    shown = replace(raw, target=target, assurance_icon=icon)
    shown = _clipped(shown, floor)
    latest = shown.groups[-1] if shown.groups else None
    signals = KpiSignals(
        tail(shown, display_points), band if raw.limits_shown else None, effects is not None,
        season_missing=seasonal and effects is None,
        baseline_start=days[latest.first_index] if latest else None,
        baseline_points=min(latest.n_values, baseline_points or latest.n_values) if latest else 0)
    return signals


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return np.datetime64(value, "D").item()


def _group_ids(days: list[dt.date], rebase_dates) -> np.ndarray:
    starts = sorted(_as_date(d) for d in rebase_dates)
    return np.array([sum(s <= d for s in starts) for d in days], dtype=int)


def _reseasoned(result: SpcResult, y: np.ndarray, offset: np.ndarray) -> SpcResult:
    """The result of the rules on the adjusted series, drawn on the real values: every line moves
    with its month's effect, so each point keeps its place relative to the lines."""
    moved = {name: getattr(result, name) + offset for name in LINES}
    return replace(result, values=y, **moved)


def _carry_over(y: np.ndarray, group: np.ndarray, fix: int | None) -> tuple[np.ndarray, float] | None:
    """Each point's predicted carry-over φ(x_t−1 − μ) within its period (0 at a period's first point),
    with φ and μ from the latest period's baseline; and φ. None when it is too short to estimate."""
    offset = np.zeros(len(y))
    phi = 0.0
    for g in np.unique(group):
        index = np.flatnonzero(group == g)
        base = y[index][:fix] if fix else y[index]
        base = base[~np.isnan(base)]
        if len(base) < 12:
            continue
        mu = base.mean()
        phi = _lag1(base)
        previous = np.r_[np.nan, y[index][:-1]]
        offset[index] = np.nan_to_num(phi * (previous - mu))
    return offset, phi


def _lag1(base: np.ndarray) -> float:
    """Lag-1 autocorrelation with Kendall's small-sample bias correction (+(1 + 3φ)/n: from 20
    values the plain estimate is about 0.15 too low at φ = 0.7), kept within 0–0.9."""
    if base.std() == 0:
        return 0.0
    centred = base - base.mean()
    phi = float((centred[:-1] * centred[1:]).sum() / (centred ** 2).sum())
    return float(np.clip(phi + (1 + 3 * phi) / len(base), 0.0, 0.9))


def _band(result: SpcResult, season: np.ndarray, moy: np.ndarray, months: int, seasonal: bool,
          phi: float = 0.0) -> Band | None:
    """The latest limits for the figure the target is judged on: a month's figure (the monthly
    limits; for seasonal limits, the widest reach over the 12 calendar months) or a 12-month one.
    With carry-over φ, a month's figure spreads 1/√(1 − φ²) times as far as what is unpredicted, and
    a 12-month mean 1/(1 − φ) times (the long-run variance of an AR(1) process)."""
    limits = result.latest_limits
    if limits is None or not np.isfinite(limits.mean_moving_range):
        return None
    amr = limits.mean_moving_range
    if months > 1:  # the months' effects add up to 0 over a year
        return Band(*twelve_month_band(limits.mean, amr / (1 - phi), months), months)
    reach = LIMIT_FACTOR * amr / np.sqrt(1 - phi ** 2)
    if not seasonal:
        return Band(limits.mean - reach, limits.mean + reach, 1)
    effects = effect_of_months(season, moy)
    return Band(limits.mean + effects.min() - reach, limits.mean + effects.max() + reach, 1)


def effect_of_months(offset: np.ndarray, moy: np.ndarray) -> np.ndarray:
    return np.array(list({int(m): float(o) for m, o in zip(moy, offset)}.values()))


def _clipped(result: SpcResult, floor: float | None) -> SpcResult:
    """Lines below what the measure can take are drawn at that floor (0 for rates, counts, money)."""
    if floor is None:
        return result
    with np.errstate(invalid="ignore"):
        return replace(result, **{name: np.where(getattr(result, name) < floor, floor, getattr(result, name))
                                  for name in ("lpl", "lower_2sigma")})


def tail(result: SpcResult, n: int | None) -> SpcResult:
    """The latest n points of a result (rules already applied over the whole series); periods that
    end before them are dropped and the rest re-indexed."""
    if n is None or n >= len(result):
        return result
    cut = len(result) - n
    arrays = {name: getattr(result, name)[cut:] for name in (
        *LINES, "values", "group", "relative_to_mean", "outside_limits", "near_limits", "rule_flags",
        "signal_side", "deciding_rule", "shift_run", "rising_run", "falling_run")}
    first = int(result.group[cut])
    arrays["group"] = arrays["group"] - first
    groups = tuple(replace(g, first_index=max(g.first_index - cut, 0), last_index=g.last_index - cut)
                   for g in result.groups[first:])
    return replace(result, dates=result.dates[cut:], point_type=result.point_type[cut:], groups=groups,
                   **arrays)
