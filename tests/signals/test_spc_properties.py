"""Properties of the SPC engine over generated series (hypothesis, kept quick)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workforce.signals.spc import PRESETS, analyse

FAST = settings(max_examples=60, deadline=None, database=None,  # leave no .hypothesis folder
                suppress_health_check=[HealthCheck.too_slow])
series = st.lists(st.integers(0, 30).map(float), min_size=13, max_size=40)
profiles = st.sampled_from(sorted(PRESETS))
directions = st.sampled_from(["increase", "decrease", "neutral"])


def months(n: int) -> list[dt.date]:
    return [dt.date(2020 + i // 12, i % 12 + 1, 1) for i in range(n)]


def clear_of_lines(result, values) -> bool:
    """No value sits (within rounding) on the mean, a limit or a 2-sigma line."""
    lines = np.stack([result.mean, result.upl, result.lpl, result.upper_2sigma,
                      result.lower_2sigma])
    return bool(np.all(np.abs(lines - np.asarray(values)) > 1e-6))


@FAST
@given(series, profiles)
def test_limits_are_symmetric_about_the_mean(values, preset):
    result = analyse(values, months(len(values)), profile=PRESETS[preset])
    np.testing.assert_allclose(result.upl - result.mean, result.mean - result.lpl, atol=1e-9)
    np.testing.assert_allclose(result.upper_2sigma - result.mean,
                               (result.upl - result.mean) * 2 / 3, atol=1e-9)


@FAST
@given(series, st.integers(-1000, 1000), profiles, directions)
def test_adding_a_constant_moves_the_lines_and_keeps_the_point_types(values, shift, preset,
                                                                    direction):
    dates = months(len(values))
    base = analyse(values, dates, direction, profile=PRESETS[preset])
    assume(clear_of_lines(base, values))
    moved = analyse([v + shift for v in values], dates, direction, profile=PRESETS[preset])
    np.testing.assert_allclose(moved.mean, base.mean + shift, atol=1e-9)
    np.testing.assert_allclose(moved.upl, base.upl + shift, atol=1e-9)
    assert moved.point_type == base.point_type
    assert moved.variation_icon == base.variation_icon


@FAST
@given(series, st.floats(0.01, 1000), profiles, directions)
def test_positive_scaling_keeps_the_point_types(values, factor, preset, direction):
    dates = months(len(values))
    base = analyse(values, dates, direction, profile=PRESETS[preset])
    assume(clear_of_lines(base, values))
    scaled = analyse([v * factor for v in values], dates, direction, profile=PRESETS[preset])
    assert scaled.point_type == base.point_type
    np.testing.assert_allclose(scaled.upl, base.upl * factor, rtol=1e-9, atol=1e-9)


@FAST
@given(series, series, directions)
def test_periods_after_a_recalculation_are_independent_under_nhsr(first, second, direction):
    dates = months(len(first) + len(second))
    whole = analyse(first + second, dates, direction, rebase_dates=[dates[len(first)]],
                    profile=PRESETS["nhsr"])
    alone = [analyse(first, dates[:len(first)], direction, profile=PRESETS["nhsr"]),
             analyse(second, dates[len(first):], direction, profile=PRESETS["nhsr"])]
    assert whole.point_type == alone[0].point_type + alone[1].point_type
    np.testing.assert_allclose(whole.upl, np.concatenate([a.upl for a in alone]))


@FAST
@given(series, profiles, directions)
def test_special_cause_exactly_where_a_rule_holds(values, preset, direction):
    profile = PRESETS[preset]
    result = analyse(values, months(len(values)), direction, profile=profile)
    expected = naive_rule_holds(values, result, profile)
    got = [t != "common_cause" for t in result.point_type]
    assert got == expected


def naive_rule_holds(values, result, profile) -> list[bool]:
    """An independent, loop-by-loop reading of the four rules (one recalculation period)."""
    n = len(values)
    if not result.limits_shown:
        return [False] * n
    mean, upl, lpl, u2, l2 = (float(line[0]) for line in (
        result.mean, result.upl, result.lpl, result.upper_2sigma, result.lower_2sigma))
    collapsed = upl == lpl and not profile.zero_sigma_signals
    side = [(v > mean) - (v < mean) for v in values]
    outside = [not collapsed and (v > upl or v < lpl) for v in values]
    near = [not collapsed and (v > u2 or v < l2)
            and (profile.two_sigma_counts_beyond_3sigma or not o)
            for v, o in zip(values, outside)]
    flagged = list(outside)
    for start in range(n):
        for end in range(start + profile.shift_points - 1, n):
            window = side[start:end + 1]
            if window[0] != 0 and all(s == window[0] for s in window):
                flagged[start:end + 1] = [True] * (end - start + 1)
        for end in range(start + profile.trend_points - 1, n):
            rises = [values[i + 1] - values[i] for i in range(start, end)]
            if all(r > 0 for r in rises) or all(r < 0 for r in rises):
                flagged[start:end + 1] = [True] * (end - start + 1)
        window = range(start, start + 3)
        if start + 3 <= n and sum(near[i] for i in window) >= 2 \
                and abs(sum(side[i] for i in window)) == 3:
            for i in window:
                flagged[i] = flagged[i] or near[i]
    return flagged
