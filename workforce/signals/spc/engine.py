"""XmR charts with Making Data Count rules: limits, special causes and icons.

Implements shared/spc/spec.md. A RuleProfile (profile.py) settles the points on
which NHS England's tool and NHSRplotthedots differ. One series is held as numpy
arrays, so ``analyse`` stays cheap over thousands of series.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Sequence

import numpy as np

from .profile import PRESETS, RuleProfile

LIMIT_FACTOR = 2.66  # 3 / 1.128, as both reference implementations round it
TWO_SIGMA_FACTOR = LIMIT_FACTOR * 2 / 3
MR_SCREEN_FACTOR = 3.267  # upper limit of the moving-range chart
RECOMMENDED_BASELINE = 12  # NHSRplotthedots refuses fewer when fixing limits

POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0, "neither": 0}

# Rule codes in NHSRplotthedots' precedence order (0 = no rule).
OUTSIDE, TREND, TWO_OF_THREE, SHIFT = 1, 2, 3, 4

# One bit per rule and side, so a point can carry several.
ABOVE_UPPER, BELOW_LOWER = 1, 2
TREND_UP, TREND_DOWN = 4, 8
TWO_HIGH, TWO_LOW = 16, 32
SHIFT_HIGH, SHIFT_LOW = 64, 128


class SpcInputError(ValueError):
    """The series cannot be analysed as given (the message says why)."""


@dataclass(frozen=True)
class Limits:
    """Centre line and limits of one recalculation period."""

    mean: float
    mean_moving_range: float

    @property
    def sigma(self) -> float:
        return self.mean_moving_range * LIMIT_FACTOR / 3

    @property
    def upl(self) -> float:
        return self.mean + LIMIT_FACTOR * self.mean_moving_range

    @property
    def lpl(self) -> float:
        return self.mean - LIMIT_FACTOR * self.mean_moving_range

    @property
    def upper_2sigma(self) -> float:
        return self.mean + TWO_SIGMA_FACTOR * self.mean_moving_range

    @property
    def lower_2sigma(self) -> float:
        return self.mean - TWO_SIGMA_FACTOR * self.mean_moving_range


@dataclass(frozen=True)
class Group:
    """A recalculation period: rows first_index..last_index (inclusive)."""

    first_index: int
    last_index: int
    limits: Limits
    n_values: int


@dataclass(frozen=True)
class Signals:
    """Per point, the direction (+1 high, -1 low, 0 none) in which each rule fired."""

    outside: np.ndarray
    trend_up: np.ndarray  # bool: part of a rising trend
    trend_down: np.ndarray  # bool: part of a falling trend
    trend: np.ndarray  # a peak or trough takes the direction of the trend that follows it
    two_of_three: np.ndarray
    shift: np.ndarray


@dataclass(frozen=True)
class SpcPoint:
    date: dt.date
    value: float | None
    mean: float | None
    upl: float | None
    lpl: float | None
    upper_2sigma: float | None
    lower_2sigma: float | None
    group: int
    point_type: str
    rules: tuple[str, ...]  # plain-English rules that fired, the deciding one first
    # Length of the run this point is part of (0: none): on one side of the mean,
    # rising, falling. A peak or trough can be part of both a rising and a falling run.
    shift_run: int
    rising_run: int
    falling_run: int


@dataclass(frozen=True, eq=False)
class SpcResult:
    """Everything about one analysed series; per-point columns are aligned by date."""

    dates: tuple[dt.date, ...]
    values: np.ndarray
    mean: np.ndarray
    upl: np.ndarray  # NaN where limits are not shown
    lpl: np.ndarray
    upper_2sigma: np.ndarray
    lower_2sigma: np.ndarray
    group: np.ndarray
    point_type: tuple[str, ...]
    relative_to_mean: np.ndarray
    outside_limits: np.ndarray
    near_limits: np.ndarray  # beyond a 2-sigma line, as counted by the 2-of-3 rule
    rule_flags: np.ndarray
    signal_side: np.ndarray  # +1 high, -1 low: the side that set point_type (0: none)
    deciding_rule: np.ndarray  # rule code (OUTSIDE .. SHIFT) that set point_type, 0 if none
    shift_run: np.ndarray
    rising_run: np.ndarray
    falling_run: np.ndarray
    groups: tuple[Group, ...]
    improvement_direction: str
    target: float | None
    profile: RuleProfile
    limits_shown: bool
    variation_icon: str | None
    assurance_icon: str | None
    warnings: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.dates)

    @property
    def latest_limits(self) -> Limits | None:
        return self.groups[-1].limits if self.groups else None

    @property
    def last_index(self) -> int | None:
        """The last point with a value: the one the variation icon describes."""
        valid = np.flatnonzero(~np.isnan(self.values))
        return int(valid[-1]) if valid.size else None

    @cached_property
    def monthly(self) -> bool:
        """One point per calendar month (so "months" reads better than "points")."""
        return is_monthly(np.array(self.dates, dtype="datetime64[D]"))

    @property
    def zero_sigma(self) -> bool:
        return any(g.limits.mean_moving_range == 0 for g in self.groups)

    def rules(self, i: int) -> tuple[str, ...]:
        return _rule_labels(int(self.rule_flags[i]), int(self.shift_run[i]),
                            int(self.rising_run[i]), int(self.falling_run[i]),
                            high_first=self.signal_side[i] >= 0)

    @cached_property
    def points(self) -> tuple[SpcPoint, ...]:
        cols = [_nullable(a) for a in (self.values, self.mean, self.upl, self.lpl,
                                       self.upper_2sigma, self.lower_2sigma)]
        return tuple(
            SpcPoint(self.dates[i], *(c[i] for c in cols), int(self.group[i]),
                     self.point_type[i], self.rules(i), int(self.shift_run[i]),
                     int(self.rising_run[i]), int(self.falling_run[i]))
            for i in range(len(self))
        )

    def to_json_points(self) -> list[dict]:
        return [
            {"date": p.date.isoformat(), "value": p.value, "mean": p.mean, "upl": p.upl,
             "lpl": p.lpl, "point_type": p.point_type, "rules": list(p.rules)}
            for p in self.points
        ]

    def to_dict(self) -> dict:
        """JSON-ready: points, icons, whether limits are shown, warnings."""
        return {
            "points": self.to_json_points(),
            "variation_icon": self.variation_icon,
            "assurance_icon": self.assurance_icon,
            "limits_shown": self.limits_shown,
            "warnings": list(self.warnings),
        }


# ---------------------------------------------------------------- public entry point


def analyse(
    values: Sequence[float | None],
    dates: Sequence,
    improvement_direction: str = "increase",
    target: float | None = None,
    rebase_dates: Iterable = (),
    fix_after_n_points: int | None = None,
    profile: RuleProfile | None = None,
) -> SpcResult:
    """Analyse one series as an XmR chart under ``profile`` (default: the mdc preset)."""
    profile = profile or PRESETS["mdc"]
    direction = _direction_sign(improvement_direction)
    target = _as_target(target)
    _check_fix_after(fix_after_n_points)
    day, y = _series(values, dates)
    starts = _group_starts(day, _as_days(rebase_dates, "rebase_dates"))
    groups = _groups(y, starts, fix_after_n_points, profile)
    group = np.repeat(np.arange(len(groups)), np.diff(np.append(starts, len(y))))
    lines = {name: np.array([getattr(g.limits, name) for g in groups])[group]
             for name in ("mean", "upl", "lpl", "upper_2sigma", "lower_2sigma")}

    n_values = int(np.count_nonzero(~np.isnan(y)))
    limits_shown = n_values >= profile.min_points_for_limits and bool(
        groups and np.isfinite(groups[-1].limits.upl))
    breaks = None if profile.rules_cross_recalculations else _breaks(starts, len(y))
    rtm, outside, near = _point_positions(y, lines, groups, group, profile)
    if limits_shown:
        signals = find_signals(y, rtm, outside, near, profile.shift_points,
                               profile.trend_points, breaks)
    else:  # a run chart: the mean only, every point common cause
        signals = _no_signals(len(y))
        lines.update({name: np.full(len(y), np.nan)
                      for name in ("upl", "lpl", "upper_2sigma", "lower_2sigma")})
    final, deciding = resolve_conflicts(signals, direction, profile.conflict)
    types = point_type_names(final, direction)
    variation, assurance = (_icons(types, y, groups, target, direction, profile)
                            if limits_shown else (None, None))
    step = steps(y, breaks)
    return SpcResult(
        dates=tuple(day.tolist()), values=y, group=group, point_type=types,
        relative_to_mean=rtm, outside_limits=outside, near_limits=near,
        rule_flags=_rule_flags(signals), signal_side=final, deciding_rule=deciding,
        shift_run=_shift_run_lengths(rtm, signals.shift, breaks),
        rising_run=_trend_run_lengths(step, signals.trend_up, rising=True),
        falling_run=_trend_run_lengths(step, signals.trend_down, rising=False),
        groups=groups, improvement_direction=_direction_name(direction),
        target=target, profile=profile, limits_shown=limits_shown,
        variation_icon=variation, assurance_icon=assurance,
        warnings=tuple(_warnings(day, y, groups, n_values, limits_shown,
                                 fix_after_n_points, profile)),
        **lines,
    )


def _icons(types, y, groups, target, direction, profile) -> tuple[str | None, str | None]:
    """Variation from the last point with a value; assurance from the latest limits."""
    last = np.flatnonzero(~np.isnan(y))
    if not last.size:
        return None, None
    latest = groups[-1].limits
    return (variation_icon(types[last[-1]], direction),
            assurance_icon(target, latest.lpl, latest.upl, _direction_name(direction),
                           profile.target_on_limit))


def _series(values, dates) -> tuple[np.ndarray, np.ndarray]:
    """Dates (numpy days) and values (floats, NaN missing), sorted by date."""
    day = _as_days(dates, "dates")
    y = _as_values(values)
    if len(day) != len(y):
        raise SpcInputError(f"{_count(len(y), 'value')} but {_count(len(day), 'date')}: "
                            "give one date per value")
    return _sorted_by_date(day, y)


# ---------------------------------------------------------------- limits


def xmr_limits(
    values: Sequence[float],
    *,
    screen_outliers: bool = False,
    screening_comparison: str = "strict",
    screening_recomputes_mean: bool = False,
) -> Limits:
    """Mean and mean moving range of ``values`` (NaN left out, and the MRs beside it)."""
    y = np.asarray(values, dtype=float)
    valid = ~np.isnan(y)
    moving_ranges = np.abs(np.diff(y))
    has_mr = ~np.isnan(moving_ranges)
    mean = float(y[valid].mean()) if valid.any() else math.nan
    if not has_mr.any():
        return Limits(mean, math.nan)
    amr = float(moving_ranges[has_mr].mean())
    if screen_outliers and amr > 0:
        cutoff = MR_SCREEN_FACTOR * amr
        kept = has_mr & (moving_ranges < cutoff if screening_comparison == "strict"
                         else moving_ranges <= cutoff)
        amr = float(moving_ranges[kept].mean())  # never empty: some MR is below the mean
        if screening_recomputes_mean:
            dropped_after = np.append(False, has_mr & ~kept)  # the point an outlier MR leads to
            mean = float(y[valid & ~dropped_after].mean())
    return Limits(mean, amr)


def _groups(y, starts, fix_after_n_points, profile) -> tuple[Group, ...]:
    stops = np.append(starts[1:], len(y))
    groups = []
    for first, stop in zip(starts.tolist(), stops.tolist()):
        segment = y[first:stop]
        baseline = segment[:fix_after_n_points] if fix_after_n_points else segment
        limits = xmr_limits(
            baseline,
            screen_outliers=profile.screen_outliers,
            screening_comparison=profile.screening_comparison,
            screening_recomputes_mean=profile.screening_recomputes_mean,
        )
        groups.append(Group(first, stop - 1, limits, int(np.count_nonzero(~np.isnan(segment)))))
    return tuple(groups)


def _point_positions(y, lines, groups, group, profile):
    """Side of the mean (+1/-1/0), beyond a process limit, beyond a 2-sigma line."""
    with np.errstate(invalid="ignore"):
        gap = y - lines["mean"]
        # rounding noise is "on the mean": a constant ratio's mean can differ from it in the last bit
        on_mean = np.abs(gap) <= 1e-9 * np.maximum(1.0, np.abs(lines["mean"]))
        side = np.where(on_mean, 0.0, np.sign(gap))
    rtm = np.where(np.isnan(side), 0, side).astype(np.int8)
    outside = (y > lines["upl"]) | (y < lines["lpl"])
    near = (y > lines["upper_2sigma"]) | (y < lines["lower_2sigma"])
    if not profile.two_sigma_counts_beyond_3sigma:
        near &= ~outside
    if not profile.zero_sigma_signals:
        collapsed = np.array([g.limits.mean_moving_range == 0 for g in groups], dtype=bool)[group]
        outside &= ~collapsed
        near &= ~collapsed
    return rtm, outside, near


# ---------------------------------------------------------------- rules


def run_position(keys: np.ndarray, breaks: np.ndarray | None = None) -> np.ndarray:
    """1-based position of each point in its run of equal keys; ``breaks`` starts new runs."""
    run_id, run_starts = _runs(keys, breaks)
    return np.arange(len(run_id)) - run_starts[run_id] + 1


def run_lengths(keys: np.ndarray, breaks: np.ndarray | None = None) -> np.ndarray:
    """Length of the run of equal keys that each point belongs to."""
    run_id, _ = _runs(keys, breaks)
    return np.bincount(run_id)[run_id] if len(run_id) else np.zeros(0, dtype=int)


def _runs(keys, breaks) -> tuple[np.ndarray, np.ndarray]:
    """Run number of each point, and the index where each run starts."""
    keys = np.asarray(keys)
    new_run = np.empty(len(keys), dtype=bool)
    new_run[:1] = True
    new_run[1:] = keys[1:] != keys[:-1]
    if breaks is not None:
        new_run |= breaks
    return np.cumsum(new_run) - 1, np.flatnonzero(new_run)


def shift_ends(rtm: np.ndarray, n: int, breaks: np.ndarray | None = None) -> np.ndarray:
    """±1 at the n-th and later points of a run on one side of the mean (0 on the mean)."""
    rtm = np.asarray(rtm)
    if len(rtm) == 0:
        return np.zeros(0, dtype=np.int8)
    return np.where((run_position(rtm, breaks) >= n) & (rtm != 0), rtm, 0).astype(np.int8)


def trend_ends(y: np.ndarray, n: int, breaks: np.ndarray | None = None) -> np.ndarray:
    """±1 at a point ending n points that each rise (fall) strictly; ties and NaN break it."""
    y = np.asarray(y, dtype=float)
    return _trend_ends(steps(y, breaks), n) if len(y) else np.zeros(0, dtype=np.int8)


def _trend_ends(step: np.ndarray, n: int) -> np.ndarray:
    ends = np.zeros(len(step) + 1, dtype=np.int8)
    if len(step):
        ends[1:] = np.where((run_position(step) >= n - 1) & (step != 0), step, 0)
    return ends


def spread_back(ends: np.ndarray, n: int) -> np.ndarray:
    """True where a run end falls on this point or one of the next n - 1 points."""
    marked = np.concatenate(([0], np.cumsum(np.asarray(ends) != 0)))
    m = len(marked) - 1
    window_end = np.minimum(np.arange(m) + n, m)
    return marked[window_end] - marked[:m] > 0


def two_of_three_windows(near, rtm, breaks: np.ndarray | None = None) -> np.ndarray:
    """True for every point of a 3-point window with >= 2 near points, all 3 on one side."""
    near = np.asarray(near, dtype=bool)
    rtm = np.asarray(rtm)
    flagged = np.zeros(len(near), dtype=bool)
    if len(near) < 3:
        return flagged
    count = near[:-2].astype(int) + near[1:-1] + near[2:]
    side = rtm[:-2].astype(int) + rtm[1:-1] + rtm[2:]
    window = (count >= 2) & (np.abs(side) == 3)
    if breaks is not None:
        window &= ~breaks[1:-1] & ~breaks[2:]
    flagged[:-2] |= window
    flagged[1:-1] |= window
    flagged[2:] |= window
    return flagged


def find_signals(y, rtm, outside, near, shift_points: int, trend_points: int,
                 breaks: np.ndarray | None = None) -> Signals:
    """Apply the four special-cause rules; each marks every point of its pattern."""
    in_shift = spread_back(shift_ends(rtm, shift_points, breaks), shift_points)
    step = steps(y, breaks)
    ends = _trend_ends(step, trend_points)
    up = spread_back(ends == 1, trend_points)
    down = spread_back(ends == -1, trend_points)
    following = np.concatenate((step, [0]))
    trend = np.where(up & down, following, np.where(up, 1, np.where(down, -1, 0)))
    two = two_of_three_windows(near, rtm, breaks) & near
    return Signals(
        outside=np.where(outside, rtm, 0).astype(np.int8),
        trend_up=up,
        trend_down=down,
        trend=trend.astype(np.int8),
        two_of_three=np.where(two, rtm, 0).astype(np.int8),
        shift=np.where(in_shift, rtm, 0).astype(np.int8),
    )


def resolve_conflicts(signals: Signals, direction: int, conflict: str):
    """Each point's deciding direction (+1 high, -1 low) and rule code (0: none)."""
    ordered = (signals.outside, signals.trend, signals.two_of_three, signals.shift)
    if conflict == "precedence" or direction == 0:
        final = np.zeros(len(signals.outside), dtype=np.int8)
        for rule in reversed(ordered):
            final = np.where(rule != 0, rule, final)
    else:
        high = ((signals.outside == 1) | signals.trend_up | (signals.two_of_three == 1)
                | (signals.shift == 1))
        low = ((signals.outside == -1) | signals.trend_down | (signals.two_of_three == -1)
               | (signals.shift == -1))
        good, bad = (high, low) if direction == 1 else (low, high)
        first, second = (good, bad) if conflict == "improvement" else (bad, good)
        sign = direction if conflict == "improvement" else -direction
        final = np.where(first, sign, np.where(second, -sign, 0)).astype(np.int8)
    trend_matches = np.where(final == 1, signals.trend_up, signals.trend_down)
    matches = (signals.outside == final, trend_matches, signals.two_of_three == final,
               signals.shift == final)
    deciding = np.zeros(len(final), dtype=np.int8)
    for code, match in reversed(list(enumerate(matches, start=1))):
        deciding = np.where(match & (final != 0), code, deciding)
    return final, deciding


def point_type_names(final: np.ndarray, direction: int) -> tuple[str, ...]:
    """Point types in the NHSRplotthedots vocabulary from the deciding direction."""
    if direction == 0:
        codes = np.where(final > 0, 3, np.where(final < 0, 4, 0))
    else:
        oriented = final * direction
        codes = np.where(oriented > 0, 1, np.where(oriented < 0, 2, 0))
    return tuple(np.array(POINT_TYPES, dtype=object)[codes].tolist())


def steps(y: np.ndarray, breaks: np.ndarray | None = None) -> np.ndarray:
    """Sign of each rise (n - 1 values); 0 for ties, NaN, or a step into a new period."""
    with np.errstate(invalid="ignore"):
        step = np.sign(y[1:] - y[:-1])
    step = np.where(np.isnan(step), 0, step).astype(np.int8)
    if breaks is not None:
        step[breaks[1:]] = 0
    return step


def _no_signals(n: int) -> Signals:
    zeros = np.zeros(n, dtype=np.int8)
    no = np.zeros(n, dtype=bool)
    return Signals(zeros, no, no, zeros, zeros, zeros)


def _rule_flags(s: Signals) -> np.ndarray:
    return ((s.outside == 1) * ABOVE_UPPER | (s.outside == -1) * BELOW_LOWER
            | s.trend_up * TREND_UP | s.trend_down * TREND_DOWN
            | (s.two_of_three == 1) * TWO_HIGH | (s.two_of_three == -1) * TWO_LOW
            | (s.shift == 1) * SHIFT_HIGH | (s.shift == -1) * SHIFT_LOW).astype(np.int16)


def _shift_run_lengths(rtm, shift, breaks) -> np.ndarray:
    if not shift.any():
        return np.zeros(len(rtm), dtype=int)
    return np.where(shift != 0, run_lengths(rtm, breaks), 0)


def _trend_run_lengths(step, in_trend, rising: bool) -> np.ndarray:
    """Points in the rising (or falling) trend each point is part of; 0 if none."""
    if not in_trend.any():
        return np.zeros(len(in_trend), dtype=int)
    steps_in_run = run_lengths(step)
    following = np.concatenate((steps_in_run, [0]))
    preceding = np.concatenate(([0], steps_in_run))
    leads_on = np.concatenate((step, [0])) == (1 if rising else -1)  # continues to the next point
    return np.where(in_trend, np.where(leads_on, following, preceding) + 1, 0)


def _rule_labels(flags: int, shift_run: int, rising_run: int, falling_run: int,
                 high_first: bool) -> tuple[str, ...]:
    """Plain-English rules, those on the deciding side first, in precedence order."""
    high = [(ABOVE_UPPER, "above the upper limit"),
            (TREND_UP, f"{rising_run}-point rising trend"),
            (TWO_HIGH, "2 of 3 near the upper limit"),
            (SHIFT_HIGH, f"{shift_run} points above the mean")]
    low = [(BELOW_LOWER, "below the lower limit"),
           (TREND_DOWN, f"{falling_run}-point falling trend"),
           (TWO_LOW, "2 of 3 near the lower limit"),
           (SHIFT_LOW, f"{shift_run} points below the mean")]
    ordered = high + low if high_first else low + high
    return tuple(label for bit, label in ordered if flags & bit)


# ---------------------------------------------------------------- icons


def variation_icon(point_type: str, direction: int) -> str:
    """The variation icon for the last point's type (spec §3.1)."""
    if point_type == "special_cause_improvement":
        return "improvement_high" if direction > 0 else "improvement_low"
    if point_type == "special_cause_concern":
        return "concern_low" if direction > 0 else "concern_high"
    if point_type == "special_cause_neutral_high":
        return "neutral_high"
    if point_type == "special_cause_neutral_low":
        return "neutral_low"
    return "common_cause"


def assurance_icon(target: float | None, lpl: float, upl: float,
                   improvement_direction: str, target_on_limit: str = "hit_miss") -> str | None:
    """Pass, fail or hit-and-miss from where the target sits against the latest limits."""
    direction = _direction_sign(improvement_direction)
    if target is None or direction == 0 or not (np.isfinite(lpl) and np.isfinite(upl)):
        return None
    inclusive = target_on_limit == "pass_fail"
    below = target <= lpl if inclusive else target < lpl
    above = target >= upl if inclusive else target > upl
    # Meeting the target exactly counts as passing, so test the passing side first.
    if (below and direction > 0) or (above and direction < 0):
        return "consistent_pass"
    if above or below:
        return "consistent_fail"
    return "inconsistent"


# ---------------------------------------------------------------- input checks


def _direction_sign(improvement_direction: str) -> int:
    try:
        return DIRECTIONS[improvement_direction]
    except (KeyError, TypeError):
        raise SpcInputError(
            f"improvement_direction {improvement_direction!r}: use increase, decrease or neutral"
        ) from None


def _direction_name(sign: int) -> str:
    return {1: "increase", -1: "decrease", 0: "neutral"}[sign]


def _as_target(target) -> float | None:
    if target is None:
        return None
    if isinstance(target, (bool, str)) or not isinstance(target, (int, float, np.number)):
        raise SpcInputError(f"target {target!r} is not a number")
    return None if math.isnan(target) else float(target)


def _check_fix_after(n) -> None:
    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2):
        raise SpcInputError(f"fix_after_n_points {n!r}: give a whole number of at least 2, or null")


def _as_values(values) -> np.ndarray:
    if not isinstance(values, np.ndarray):
        values = list(values)
        bad = next((v for v in values if isinstance(v, (str, bytes, bool))), None)
        if bad is not None:
            raise SpcInputError(f"value {bad!r} is not a number")
    try:
        y = np.array(values, dtype=float)
    except (TypeError, ValueError):
        raise SpcInputError("values must be numbers (or null for a missing value)") from None
    if y.ndim != 1:
        raise SpcInputError("values must be a flat list of numbers")
    if np.isinf(y).any():
        raise SpcInputError("values must be finite: found an infinite value")
    return y


def _as_days(dates, what: str) -> np.ndarray:
    """Dates as numpy days; accepts date/datetime/Timestamp/datetime64 or ISO 'YYYY-MM(-DD)'."""
    if hasattr(dates, "to_numpy"):  # pandas Series or Index
        dates = dates.to_numpy()
    if isinstance(dates, np.ndarray) and dates.dtype.kind == "M":
        days = dates.astype("datetime64[D]")
    else:
        items = list(dates)
        try:
            days = np.array(items, dtype="datetime64[D]").reshape(len(items))
        except (TypeError, ValueError):
            bad = next((item for item in items if not _is_date(item)), None)
            raise SpcInputError(f"{what}: {bad!r} is not a date (use YYYY-MM-DD)") from None
    if np.isnat(days).any():
        raise SpcInputError(f"{what}: a date is missing")
    return days


def _is_date(item) -> bool:
    try:
        np.datetime64(item, "D")
    except (TypeError, ValueError):
        return False
    return True


def _sorted_by_date(day: np.ndarray, y: np.ndarray):
    if len(day) < 2 or (np.diff(day) > np.timedelta64(0, "D")).all():
        return day, y
    order = np.argsort(day, kind="stable")
    day, y = day[order], y[order]
    repeated = day[1:][day[1:] == day[:-1]]
    if repeated.size:
        raise SpcInputError(
            f"dates: {repeated[0]} appears more than once; give one value per date")
    return day, y


def _group_starts(day: np.ndarray, rebase_days: np.ndarray) -> np.ndarray:
    """First row of each recalculation period; a rebase date matching no row does nothing."""
    if len(day) == 0:
        return np.zeros(0, dtype=int)
    if len(rebase_days) == 0:
        return np.zeros(1, dtype=int)
    starts = np.flatnonzero(np.isin(day, rebase_days))
    return np.unique(np.concatenate(([0], starts)))


def _breaks(starts: np.ndarray, n: int) -> np.ndarray:
    breaks = np.zeros(n, dtype=bool)
    breaks[starts[1:]] = True
    return breaks


# ---------------------------------------------------------------- warnings


def _warnings(day, y, groups, n_values, limits_shown, fix_after, profile) -> list[str]:
    monthly = is_monthly(day)

    def when(i: int) -> str:
        date = day[i].item()
        return f"{date:%b %Y}" if monthly else f"{date.day} {date:%b %Y}"

    warnings = []
    if n_values == 0:
        warnings.append("No values to analyse.")
    elif n_values < profile.min_points_for_limits:
        warnings.append(
            f"Only {_count(n_values, 'point')} with a value: process limits, icons and "
            f"special-cause colours need at least {profile.min_points_for_limits}, "
            "so this is a run chart."
        )
    elif limits_shown:
        warnings += [
            f"The limits from {when(g.first_index)} are trial limits: they rest on "
            f"{_count(g.n_values, 'point')} ({profile.short_group_warning_below} or more "
            "recommended)."
            for g in groups if g.n_values < profile.short_group_warning_below
        ]
    missing = np.flatnonzero(np.isnan(y))
    if missing.size:
        warnings.append(f"{_count(missing.size, 'missing value')} "
                        f"({_listed([when(i) for i in missing])}): "
                        "left out of the mean and limits.")
    gaps = _missing_months(day) if monthly else []
    if gaps:
        warnings.append(f"Months missing: {_listed(gaps)}. Moving ranges that span a gap "
                        "make the limits less reliable.")
    consequence = "" if profile.zero_sigma_signals else ", so no point is flagged against them"
    warnings += [
        f"No variation in the values used for the limits from {when(g.first_index)}: "
        f"the limits collapse onto the mean{consequence}."
        for g in groups if g.limits.mean_moving_range == 0
    ]
    if fix_after is not None and fix_after < RECOMMENDED_BASELINE:
        warnings.append(f"Limits are fixed on the first {fix_after} points of each period; "
                        f"at least {RECOMMENDED_BASELINE} are recommended.")
    return warnings


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _listed(items: list[str], most: int = 6) -> str:
    return ", ".join(items[:most]) + (", ..." if len(items) > most else "")


def is_monthly(day: np.ndarray) -> bool:
    """One date per calendar month (any day of it), typically a month apart."""
    if len(day) < 2:
        return False
    months = day.astype("datetime64[M]")
    typical_gap = np.median(np.diff(day)).astype(int)
    return bool((np.diff(months) > np.timedelta64(0, "M")).all() and 28 <= typical_gap <= 31)


def _missing_months(day: np.ndarray) -> list[str]:
    months = day.astype("datetime64[M]")
    if months[-1] - months[0] == len(months) - 1:
        return []
    every = np.arange(months[0], months[-1] + 1)
    absent = every[~np.isin(every, months)]
    return [f"{m.astype('datetime64[D]').item():%b %Y}" for m in absent]


def _nullable(a: np.ndarray) -> list:
    return [None if math.isnan(v) else v for v in a.tolist()]
