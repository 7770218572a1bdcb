"""Answers a board can act on when an icon alone cannot: the chance of meeting the target at the
end of its period (`on_course`), and how many special-cause signals a board should expect by chance.

**on_course.** The calibrated year-end forecast (workforce/signals/forecast.py) is a point forecast
with a Student t error whose scale is how far the same method (for a 12-month figure, whichever
of its two candidate methods was further off) was off at the same horizon on the same series:
RMSE × √(1 + 1/n) on n − 1 degrees of freedom (its 95% interval is that scale × t₀.₉₇₅). The probability of meeting the target is that distribution's mass on the target's side,
counted on the figure *as displayed* (9.54% shown as 9.5% meets a 9.5% target), so the chance and
the met/missed verdict use one rule. Its reliability (and Brier score against the base rate) is
measured by benchmarks/bench_signals.py on the demo's own history; docs/spc.md has the figures.

**A target of nothing on a quantity that cannot go below it** (levy expired: £0). The figure meets
it only if every month in its window is nothing, so the t distribution (which put about half its
mass below £0 around a small forecast) is not used. Instead: a month since April with something
already in it means no chance; otherwise the chance that each month still to come is nothing, from
how often a month with nothing followed a month with nothing (or with something) in this series
(a two-state Markov chain; Jeffreys Beta(½, ½) priors, and the posterior predictive, so a short
history does not claim certainty): P = E[q^h] when the latest month had nothing, E[c]·E[q^(h−1)]
otherwise, q = P(nothing after nothing), c = P(nothing after something), E[q^k] = Π (α+i)/(α+β+i).

**Chance at board level.** On a process that never changes, each monthly SPC chart still shows a
special cause at its latest point now and then (the rules' false-alarm rate, `p`). With k charts,
a board expects k·p signals a month by chance and 12·k·p a year, and sees at least one in a month
with probability 1 − (1 − p)ᵏ. `p` is measured here, once per rule profile and baseline length, by
running the engine on 1,000 simulated stable series (seeded, so every screen says the same number;
about a second, once per process: the server's warm-up thread does it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from ..base.formatting import as_displayed

MIN_MONTHS, HELD_MONTHS = 12, 36  # months of the month's own figure a target of nothing is judged on
HALF_STEP = {"percent1": 0.05, "number1": 0.05, "percent2": 0.005, "score2": 0.005, "count": 0.5}


@dataclass(frozen=True)
class OnCourse:
    period: dt.date          # the month the target is judged at (the financial year's March)
    probability: float       # of meeting it there, 0–1
    target: float

    def as_record(self) -> dict:
        return {"period": self.period.strftime("%Y-%m"), "probability": round(float(self.probability), 2)}


def chance_of_meeting(point: float, scale: float, dof: int, target: float, direction: str,
                      fmt: str = "") -> float:
    """P(the figure, as displayed, meets the target) for figure = point + scale × t(dof)."""
    half = HALF_STEP.get(fmt, 0.0)
    if scale <= 0 or not np.isfinite(scale):
        value = point
        return float(value <= target + half if direction == "decrease" else value >= target - half)
    if direction == "decrease":
        return float(stats.t.cdf((target + half - point) / scale, dof))
    return float(stats.t.sf((target - half - point) / scale, dof))


def on_course(forecast, target: float | None, direction: str, fmt: str = "",
              months: pd.DataFrame | None = None, window: str = "") -> OnCourse | None:
    """The chance of meeting `target` at the forecast's month, from a calibrated forecast
    (value, upper, errors: its 95% interval and the past errors behind it). None without either.
    A target of nothing (decrease) is judged on `months` (period, spc_value: the month's own figure)
    instead — None without them."""
    if forecast is None or target is None or direction == "neutral":
        return None
    if direction == "decrease" and as_displayed(target, fmt) <= 0:
        chance = nothing_chance(months, forecast.horizon, window, fmt)
        return None if chance is None else OnCourse(forecast.period, chance, target)
    dof = max(int(forecast.errors) - 1, 1)
    scale = (forecast.upper - forecast.value) / stats.t.ppf(0.975, dof)  # the upper end is never clipped
    return OnCourse(forecast.period, chance_of_meeting(forecast.value, scale, dof, target, direction, fmt),
                    target)


# ---------------------------------------------------------------- a target of nothing
def beta_power(alpha: float, beta: float, k: int) -> float:
    """E[q^k] for q ~ Beta(alpha, beta): the chance of k more of the same, averaged over what q may be."""
    return float(np.prod([(alpha + i) / (alpha + beta + i) for i in range(k)]))


def nothing_chance(months: pd.DataFrame | None, horizon: int, window: str, fmt: str) -> float | None:
    """P(every month still in the window is nothing) — see the module's docstring. `months`: the
    month's own figures up to the forecast's month (period, spc_value). None when a month already in
    the window, or the latest, is unknown, or fewer than MIN_MONTHS months are known."""
    if months is None or "spc_value" not in months:
        return None
    values = months.sort_values("period")["spc_value"].to_numpy(float)[-HELD_MONTHS:]
    nothing = np.array([np.nan if np.isnan(v) else float(as_displayed(v, fmt) <= 0) for v in values])
    already = 12 - horizon if window in ("rolling_12m", "fytd") else 0  # months of the window known
    if np.count_nonzero(~np.isnan(nothing)) < MIN_MONTHS or np.isnan(nothing[-max(already, 1):]).any():
        return None
    if already and not nothing[-already:].all():
        return 0.0
    pairs = [(a, b) for a, b in zip(nothing[:-1], nothing[1:]) if not (np.isnan(a) or np.isnan(b))]
    stays = sum(1 for a, b in pairs if a and b), sum(1 for a, b in pairs if a and not b)
    clears = sum(1 for a, b in pairs if not a and b), sum(1 for a, b in pairs if not a and not b)
    if window == "month":  # only the March itself counts: the chain's state h months on
        q, c = (stays[0] + 0.5) / (sum(stays) + 1), (clears[0] + 0.5) / (sum(clears) + 1)
        state = np.array([0.0, 1.0]) if nothing[-1] else np.array([1.0, 0.0])  # (something, nothing)
        step = np.array([[1 - c, c], [1 - q, q]])
        return float((state @ np.linalg.matrix_power(step, horizon))[1])
    if nothing[-1]:
        return beta_power(stays[0] + 0.5, stays[1] + 0.5, horizon)
    return (clears[0] + 0.5) / (sum(clears) + 1) * beta_power(stays[0] + 0.5, stays[1] + 0.5, horizon - 1)


# ---------------------------------------------------------------- chance at board level
@dataclass(frozen=True)
class BoardChance:
    charts: int               # monthly SPC charts with limits on this board
    per_chart: float          # chance a stable chart's latest point is a special cause
    per_month: float          # expected special-cause icons a month by chance (k·p)
    any_in_month: float       # chance of at least one in a month: 1 − (1 − p)^k
    per_year: float           # expected over a year (12·k·p)

    @property
    def text(self) -> str:
        if not self.charts:
            return ""
        return (f"By chance alone, a board with {self.charts} monthly SPC charts sees at least one special-cause "
                f"icon in {self.any_in_month:.0%} of months (about {self.per_year:.0f} a year), even when nothing "
                f"has changed: each chart's latest month is flagged {self.per_chart:.1%} of the time on a stable "
                "process. A signal that persists, or sits far from the target, matters more than one month's icon.")


    @property
    def short_text(self) -> str:
        if not self.charts:
            return ""
        return (f"By chance alone, {self.charts} monthly charts show a special-cause icon in {self.any_in_month:.0%} "
                f"of months (about {self.per_year:.0f} a year) when nothing has changed.")


def board_chance(charts: int, per_chart: float) -> BoardChance:
    return BoardChance(charts, per_chart, charts * per_chart, 1 - (1 - per_chart) ** charts,
                       12 * charts * per_chart)


@lru_cache(maxsize=8)
def false_alarm_rate(profile, baseline_points: int | None, series: int = 1000, length: int = 60,
                     seed: int = 20261207) -> float:
    """Share of stable (independent normal) series whose latest point is a special cause, with
    limits from the first `baseline_points` held, over latest points 13 to `length` months in."""
    from .spc.engine import analyse

    rng = np.random.default_rng(seed)
    days = np.arange("2020-01", "2030-01", dtype="datetime64[M]")[:length].astype("datetime64[D]")
    flagged = 0
    for i in range(series):
        n = 13 + i % (length - 12)  # the latest point at every position from the 13th on
        y = rng.standard_normal(n)
        fix = baseline_points if baseline_points and baseline_points < n else None
        result = analyse(y, days[:n], "increase", profile=profile, fix_after_n_points=fix)
        flagged += result.point_type[-1] != "common_cause"
    return flagged / series
