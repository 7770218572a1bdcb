"""One plain-English sentence per SPC chart; it doubles as the chart's alt text."""

from __future__ import annotations

from typing import Callable

import numpy as np

from .engine import (ABOVE_UPPER, BELOW_LOWER, SHIFT_HIGH, SHIFT_LOW, TREND_DOWN, TREND_UP,
                     TWO_HIGH, TWO_LOW, SpcResult, assurance_icon)

_TYPE_PHRASE = {
    "common_cause": "common cause variation, with no sign of change",
    "special_cause_improvement": "special cause improvement",
    "special_cause_concern": "special cause concern",
    "special_cause_neutral_high": "special cause variation (higher than usual)",
    "special_cause_neutral_low": "special cause variation (lower than usual)",
}


def summary_sentence(
    result: SpcResult,
    *,
    label: str,
    value_format: Callable[[float], str],
    period_label: str | None = None,
    target: float | None = None,
) -> str:
    """E.g. "Sickness absence was 5.1% in September 2026: special cause concern — 7 months
    above the mean; the 4.5% target lies inside the limits, so it will be hit and miss."

    ``period_label`` names the latest period (default "September 2026"); ``target``
    overrides the result's target, e.g. this month's step of a trajectory."""
    last = result.last_index
    if last is None:
        return f"{label}: no data yet."
    point = result.points[last]
    period = period_label or f"{point.date:%B %Y}"
    target = result.target if target is None else target
    opening = f"{label} was {value_format(point.value)} in {period}"
    if not result.limits_shown:
        return opening + _run_chart_clause(result, point.value, target, value_format) + "."
    clauses = [_variation_clause(result, last)]
    if target is not None:
        clauses.append(_assurance_clause(result, target, value_format))
    return f"{opening}: " + "; ".join(clauses) + "."


def _variation_clause(result: SpcResult, i: int) -> str:
    phrase = _TYPE_PHRASE[result.point_type[i]]
    reason = _reason(result, i)
    return f"{phrase} — {reason}" if reason else phrase


def _reason(result: SpcResult, i: int) -> str:
    """The rule behind the latest point, in words (months rather than points if monthly)."""
    flags, side = int(result.rule_flags[i]), int(result.signal_side[i])
    unit = "months" if result.monthly else "points"
    high = side > 0
    shift = int(result.shift_run[i])
    trend = int(result.rising_run[i] if high else result.falling_run[i])
    reasons = (
        (ABOVE_UPPER if high else BELOW_LOWER,
         f"{'above the upper' if high else 'below the lower'} process limit"),
        (TREND_UP if high else TREND_DOWN,
         f"a {'rising' if high else 'falling'} trend over {trend} {unit}"),
        (TWO_HIGH if high else TWO_LOW,
         f"2 of the last 3 {unit} close to the {'upper' if high else 'lower'} limit"),
        (SHIFT_HIGH if high else SHIFT_LOW,
         f"{shift} {unit} {'above' if high else 'below'} the mean"),
    )
    return next((text for bit, text in reasons if side and flags & bit), "")


def _assurance_clause(result: SpcResult, target: float, value_format) -> str:
    shown = f"the {value_format(target)} target"
    limits = result.latest_limits
    icon = assurance_icon(target, limits.lpl, limits.upl, result.improvement_direction,
                          result.profile.target_on_limit)
    higher_is_better = result.improvement_direction == "increase"
    if icon == "consistent_pass":
        where = "below the lower" if higher_is_better else "above the upper"
        return f"{shown} lies {where} limit, so it will be met consistently"
    if icon == "consistent_fail":
        where = "above the upper" if higher_is_better else "below the lower"
        return f"{shown} lies {where} limit, so it will not be met without a change in the process"
    if icon == "inconsistent":
        return f"{shown} lies inside the limits, so it will be hit and miss"
    return f"{shown} is shown for reference (neither higher nor lower is better)"


def _run_chart_clause(result: SpcResult, value: float, target, value_format) -> str:
    n = int(np.count_nonzero(~np.isnan(result.values)))
    clause = (f". With only {n} point{'' if n == 1 else 's'} there are too few for process "
              "limits, so no variation signal is given")
    if target is None:
        return clause
    shown = f"the {value_format(target)} target"
    direction = result.improvement_direction
    if direction == "neutral":
        side = "above" if value > target else "below" if value < target else "equal to"
        return f"{clause}; the latest value is {side} {shown}"
    met = value >= target if direction == "increase" else value <= target
    return f"{clause}; the latest value {'meets' if met else 'misses'} {shown}"
