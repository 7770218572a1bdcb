"""Hand-worked SPC cases: the arithmetic is done in the comments, not by the engine."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workforce.signals.spc import (PRESETS, SpcInputError, analyse, assurance_icon, profile_from,
                           xmr_limits)
from workforce.cli.spc import add_arguments, run
from workforce.signals.spc.engine import Signals, resolve_conflicts, two_of_three_windows

NHSR = PRESETS["nhsr"]
MDC = PRESETS["mdc"]
REPO = Path(__file__).resolve().parents[2]


def months(n: int, start: dt.date = dt.date(2024, 4, 1)) -> list[dt.date]:
    return [dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
            for i in range(n)]


# ------------------------------------------------------------------ limits


def test_limits_worked_by_hand():
    # 10, 12, 11, 13, 14: mean 60/5 = 12; MRs 2, 1, 2, 1 -> mean MR 1.5
    # limits 12 ± 2.66 × 1.5 = 12 ± 3.99 -> 8.01, 15.99; 2 sigma 12 ± 1.7733 × 1.5 = 12 ± 2.66
    limits = xmr_limits([10, 12, 11, 13, 14])
    assert limits.mean == pytest.approx(12)
    assert limits.mean_moving_range == pytest.approx(1.5)
    assert (limits.lpl, limits.upl) == pytest.approx((8.01, 15.99))
    assert (limits.lower_2sigma, limits.upper_2sigma) == pytest.approx((9.34, 14.66))


SPIKY = [5, 6, 5, 6, 5, 6, 5, 20, 5, 6, 5, 6, 5]
# mean = (7×5 + 5×6 + 20) / 13 = 85/13 = 6.538462
# MRs: ten of 1 and two of 15 (into and out of the 20) -> 40/12 = 3.333333
# screening cut-off 3.267 × 3.333333 = 10.89: both 15s go, mean MR = 1


def test_screening_drops_moving_ranges_at_or_above_3267_times_the_mean():
    screened = xmr_limits(SPIKY, screen_outliers=True)
    assert screened.mean == pytest.approx(85 / 13)
    assert screened.mean_moving_range == pytest.approx(1.0)
    assert (screened.lpl, screened.upl) == pytest.approx((85 / 13 - 2.66, 85 / 13 + 2.66))
    unscreened = xmr_limits(SPIKY)
    assert unscreened.mean_moving_range == pytest.approx(40 / 12)


def test_mdc_sql_screening_also_drops_points_after_an_outlying_moving_range():
    # the points reached by a screened MR are the 20 and the 5 after it: (85 - 25) / 11
    limits = xmr_limits(SPIKY, screen_outliers=True, screening_recomputes_mean=True)
    assert limits.mean == pytest.approx(60 / 11)


def test_missing_values_are_left_out_of_the_mean_and_break_moving_ranges():
    # 1, NaN, 3, 5: mean (1 + 3 + 5) / 3 = 3; the only MR is |5 - 3| = 2
    limits = xmr_limits([1, np.nan, 3, 5])
    assert (limits.mean, limits.mean_moving_range) == pytest.approx((3, 2))


def test_recalculation_gives_each_period_its_own_limits():
    # 1, 3, 1, 3 | 11, 13, 11, 13: each period mean 2 / 12 with MRs of 2 -> ± 5.32.
    # The 3 -> 11 jump between periods is not a moving range of either.
    dates = months(8)
    result = analyse([1, 3, 1, 3, 11, 13, 11, 13], dates, rebase_dates=[dates[4]], profile=NHSR)
    assert result.group.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert [(g.limits.lpl, g.limits.upl) for g in result.groups] == [
        pytest.approx((2 - 5.32, 2 + 5.32)), pytest.approx((12 - 5.32, 12 + 5.32))]
    assert result.upl.tolist() == pytest.approx([7.32] * 4 + [17.32] * 4)
    assert set(result.point_type) == {"common_cause"}
    assert all("trial limits" in w for w in result.warnings)


def test_fix_after_n_points_extends_the_baseline_limits():
    # baseline 1, 3, 1, 3: mean 2, MR 2 -> UPL 7.32; the later 10s lie above it
    result = analyse([1, 3, 1, 3, 10, 10], months(6), fix_after_n_points=4, profile=NHSR)
    assert result.upl.tolist() == pytest.approx([7.32] * 6)
    assert result.point_type[4:] == ("special_cause_improvement",) * 2
    assert result.rules(5) == ("above the upper limit",)
    assert any("first 4 points" in w for w in result.warnings)


# ------------------------------------------------------------------ rules on whole series


SHIFT_SERIES = [12, 10, 12, 10, 12, 10, 12, 10, 11.5, 12.5, 11.5, 12.5, 11.5, 12.5]
# mean = (4×12 + 4×10 + 3×11.5 + 3×12.5) / 14 = 160/14 = 11.428571
# the last six (all > 11.4286) follow a 10, so the run above the mean is 6 long.
# MRs: seven 2s, one 1.5, five 1s -> 20.5/13 = 1.576923; limits 11.4286 ± 4.1946 -> none outside;
# 2 sigma 11.4286 ± 2.7964 = 8.63 .. 14.22 -> nothing near; no 6-point trend.


def test_six_points_above_the_mean_is_a_shift_for_mdc_but_not_for_nhsr():
    mdc = analyse(SHIFT_SERIES, months(14), "increase", profile=MDC)
    assert mdc.mean[0] == pytest.approx(160 / 14)
    assert mdc.upl[0] == pytest.approx(160 / 14 + 2.66 * 20.5 / 13)
    assert mdc.point_type == ("common_cause",) * 8 + ("special_cause_improvement",) * 6
    assert mdc.rules(13) == ("6 points above the mean",)
    assert mdc.shift_run[8:].tolist() == [6] * 6
    assert mdc.variation_icon == "improvement_high"
    nhsr = analyse(SHIFT_SERIES, months(14), "increase", profile=NHSR)
    assert set(nhsr.point_type) == {"common_cause"}
    assert nhsr.variation_icon == "common_cause"


def test_shift_below_the_mean_when_lower_is_better_is_improvement_low():
    mirrored = [-v for v in SHIFT_SERIES]
    result = analyse(mirrored, months(14), "decrease", profile=MDC)
    assert result.point_type[8:] == ("special_cause_improvement",) * 6
    assert result.variation_icon == "improvement_low"
    assert result.rules(13) == ("6 points below the mean",)


TREND_SERIES = [10, 12, 10, 12, 10, 12, 10, 9, 10, 11, 12, 13, 14]
# mean = (76 + 69) / 13 = 11.153846; 9..14 rise 5 times -> a 6-point trend (not 7).
# Sides: 9, 10, 11 below, 12, 13, 14 above -> no 6-point shift.
# MRs: six 2s and six 1s -> 1.5; limits 11.1538 ± 3.99; 2 sigma ± 2.66 -> 8.49 .. 13.81;
# only 14 is near a limit, so no 2-of-3.


def test_six_point_rising_trend():
    mdc = analyse(TREND_SERIES, months(13), "increase", profile=MDC)
    assert mdc.lpl[0] == pytest.approx(145 / 13 - 3.99)
    assert mdc.point_type == ("common_cause",) * 7 + ("special_cause_improvement",) * 6
    assert mdc.rules(12) == ("6-point rising trend",)
    assert mdc.rising_run[7:].tolist() == [6] * 6 and not mdc.falling_run.any()
    nhsr = analyse(TREND_SERIES, months(13), "increase", profile=NHSR)
    assert set(nhsr.point_type) == {"common_cause"}


def test_rising_trend_is_concern_when_lower_is_better():
    result = analyse(TREND_SERIES, months(13), "decrease", profile=MDC)
    assert result.point_type[7:] == ("special_cause_concern",) * 6
    assert result.variation_icon == "concern_high"


def test_point_above_the_upper_limit():
    # 12, 10 ×7 then 20: mean (84 + 70 + 20)/15 = 11.6; MRs thirteen 2s and one 10 -> 36/14
    # limits 11.6 ± 2.66 × 2.571429 = 11.6 ± 6.84 -> 4.76, 18.44 (20 lies above)
    values = [12, 10] * 7 + [20]
    result = analyse(values, months(15), "decrease", target=19, profile=MDC)
    assert (result.lpl[-1], result.upl[-1]) == pytest.approx((4.76, 18.44))
    assert result.point_type[-1] == "special_cause_concern"
    assert result.rules(14) == ("above the upper limit",)
    assert result.variation_icon == "concern_high"
    # lower is better and the target lies above the upper limit: it is always met
    assert result.assurance_icon == "consistent_pass"
    assert analyse(values, months(15), "decrease", target=4).assurance_icon == "consistent_fail"


def test_neutral_direction_gives_purple_high_and_low():
    result = analyse([12, 10] * 7 + [20], months(15), "neutral", target=5, profile=MDC)
    assert result.point_type[-1] == "special_cause_neutral_high"
    assert result.variation_icon == "neutral_high"
    assert result.assurance_icon is None  # no assurance without a direction


CONFLICT_SERIES = [43, 41, 37, 36, 31, 23, 15, 13, 15, 18, 23, 27, 31, 36, 27, 19, 17, 27, 15, 22]
# spec §4 item 6. Mean 516/20 = 25.8, mean MR 101/19 = 5.315789 -> LPL 11.66, lower 2 sigma 16.37.
# The trough 13 (index 7) ends an 8-point fall (43 .. 13) and starts a 7-point rise (13 .. 36);
# 15, 13, 15 are all below 16.37 (2 of 3 near the lower limit); 23, 15, 13, 15, 18, 23 are
# six points below the mean.


def test_a_trough_is_part_of_both_trends_and_improvement_wins_under_mdc():
    result = analyse(CONFLICT_SERIES, months(20), "increase", profile=MDC)
    assert result.rules(7) == ("7-point rising trend", "8-point falling trend",
                               "2 of 3 near the lower limit", "6 points below the mean")
    assert result.point_type[7] == "special_cause_improvement"
    point = result.points[7]
    assert (point.rising_run, point.falling_run, point.shift_run) == (7, 8, 6)


# ------------------------------------------------------------------ rule building blocks


def test_two_of_three_needs_two_near_points_all_on_one_side():
    near = np.array([0, 1, 0, 1, 0, 0], dtype=bool)
    rtm = np.array([1, 1, 1, 1, -1, 1])
    # windows 0-2 (1 near), 1-3 (2 near, all above) qualifies, 2-4 has a point below
    assert two_of_three_windows(near, rtm).tolist() == [False, True, True, True, False, False]
    # a recalculation at index 2 splits the only qualifying window
    breaks = np.array([0, 0, 1, 0, 0, 0], dtype=bool)
    assert not two_of_three_windows(near, rtm, breaks).any()


def signals(outside=0, up=False, down=False, two=0, shift=0) -> Signals:
    a = lambda v, t=np.int8: np.array([v], dtype=t)  # noqa: E731
    trend = 1 if up and not down else -1 if down else 0
    return Signals(a(outside), a(up, bool), a(down, bool), a(trend), a(two), a(shift))


@pytest.mark.parametrize("conflict, expected_side", [
    ("precedence", 1),    # outside limits outranks the trend
    ("improvement", 1),   # improvement wins outright
    ("concern", -1),      # concern wins outright
])
def test_conflict_above_limit_in_a_falling_trend(conflict, expected_side):
    side, rule = resolve_conflicts(signals(outside=1, down=True), 1, conflict)
    assert side.tolist() == [expected_side]


def test_precedence_puts_trend_before_shift_but_improvement_mode_does_not():
    falling_above_mean = signals(down=True, shift=1)
    assert resolve_conflicts(falling_above_mean, 1, "precedence")[0].tolist() == [-1]
    assert resolve_conflicts(falling_above_mean, 1, "improvement")[0].tolist() == [1]


@pytest.mark.parametrize("target, on_limit, expected", [
    (3, "hit_miss", "inconsistent"), (3, "pass_fail", "consistent_fail"),
    (1, "hit_miss", "inconsistent"), (1, "pass_fail", "consistent_pass"),
    (0.5, "hit_miss", "consistent_pass"), (4, "hit_miss", "consistent_fail"),
])
def test_target_on_a_limit(target, on_limit, expected):
    assert assurance_icon(target, 1, 3, "increase", on_limit) == expected


# ------------------------------------------------------------------ degenerate input


def test_empty_series():
    result = analyse([], [])
    assert len(result) == 0 and not result.limits_shown
    assert result.variation_icon is None and result.warnings == ("No values to analyse.",)
    assert result.to_dict()["points"] == []


def test_single_point():
    result = analyse([4.2], [dt.date(2025, 1, 1)], profile=NHSR)
    assert result.point_type == ("common_cause",)
    assert not result.limits_shown and result.variation_icon is None
    assert result.points[0].mean == 4.2 and result.points[0].upl is None
    assert "Only 1 point with a value" in result.warnings[0]


def test_twelve_points_is_a_run_chart_under_mdc():
    result = analyse(SHIFT_SERIES[:12], months(12), target=11, profile=MDC)
    assert not result.limits_shown
    assert set(result.point_type) == {"common_cause"}
    assert np.isnan(result.upl).all() and not np.isnan(result.mean).any()
    assert result.variation_icon is None and result.assurance_icon is None
    assert "need at least 13" in result.warnings[0]


def test_all_equal_values_say_there_is_no_variation():
    result = analyse([5.0] * 14, months(14), profile=MDC)
    assert set(result.point_type) == {"common_cause"}
    assert result.zero_sigma and result.variation_icon == "common_cause"
    assert any("No variation" in w for w in result.warnings)


def test_collapsed_limits_flag_nothing_under_mdc_but_do_under_nhsr():
    # baseline of twelve 5s: MR 0, limits collapse onto 5; the 6 afterwards is off the band
    values = [5.0] * 12 + [6.0]
    mdc = analyse(values, months(13), fix_after_n_points=12, profile=MDC)
    assert set(mdc.point_type) == {"common_cause"}
    nhsr = analyse(values, months(13), fix_after_n_points=12, profile=NHSR)
    assert nhsr.point_type[-1] == "special_cause_improvement"


def test_missing_values_are_common_cause_and_reported():
    values = list(SHIFT_SERIES)
    values[3] = None
    result = analyse(values, months(14), profile=MDC)
    assert result.point_type[3] == "common_cause"
    assert result.points[3].value is None
    assert "1 missing value (Jul 2024)" in " ".join(result.warnings)


def test_gaps_in_monthly_dates_are_reported():
    dates = months(15)
    del dates[5:7]  # Sep and Oct 2024
    result = analyse(SHIFT_SERIES[:13], dates)
    assert any(w.startswith("Months missing: Sep 2024, Oct 2024.") for w in result.warnings)


def test_dates_are_sorted_and_accept_several_types():
    dates = months(13)
    shuffled = list(zip(TREND_SERIES, dates))[::-1]
    values, backwards = zip(*shuffled)
    result = analyse(values, [d.isoformat() for d in backwards])
    assert result.dates == tuple(dates)
    assert result.point_type == analyse(TREND_SERIES, pd.Series(pd.to_datetime(dates))).point_type
    assert analyse(TREND_SERIES, np.array(dates, dtype="datetime64[D]")).dates == tuple(dates)


@pytest.mark.parametrize("values, dates, message", [
    ([1, 2], ["2024-01-01", "2024-01-01"], "appears more than once"),
    ([1, 2], ["2024-01-01"], "2 values but 1 date"),
    ([1, "x"], ["2024-01-01", "2024-02-01"], "'x' is not a number"),
    ([1, 2], ["2024-01-01", "01/02/2024"], "'01/02/2024' is not a date"),
    ([1, float("inf")], ["2024-01-01", "2024-02-01"], "finite"),
])
def test_bad_input_raises_a_clear_error(values, dates, message):
    with pytest.raises(SpcInputError, match=message):
        analyse(values, dates)


def test_bad_arguments_raise_value_errors():
    with pytest.raises(ValueError, match="improvement_direction 'up'"):
        analyse([1], ["2024-01-01"], improvement_direction="up")
    with pytest.raises(ValueError, match="fix_after_n_points"):
        analyse([1], ["2024-01-01"], fix_after_n_points=1)


# ------------------------------------------------------------------ output


def test_to_dict_gives_null_limits_when_not_shown():
    short = analyse([1, 2, 3], months(3)).to_dict()
    assert short["points"][0] == {"date": "2024-04-01", "value": 1.0, "mean": 2.0, "upl": None,
                                  "lpl": None, "point_type": "common_cause", "rules": []}
    assert short["variation_icon"] is None and short["limits_shown"] is False
    full = analyse(TREND_SERIES, months(13)).to_dict()
    assert full["points"][-1]["upl"] == pytest.approx(145 / 13 + 3.99)
    assert full["points"][-1]["rules"] == ["6-point rising trend"]
    json.dumps(full)  # JSON-ready


# ------------------------------------------------------------------ profiles


def test_presets_follow_the_spec():
    assert (MDC.shift_points, MDC.trend_points, MDC.screen_outliers, MDC.conflict,
            MDC.min_points_for_limits, MDC.rules_cross_recalculations,
            MDC.two_sigma_counts_beyond_3sigma, MDC.target_on_limit) == (
        6, 6, False, "improvement", 13, True, False, "pass_fail")
    assert (NHSR.shift_points, NHSR.trend_points, NHSR.screen_outliers, NHSR.conflict,
            NHSR.rules_cross_recalculations, NHSR.short_group_warning_below,
            NHSR.target_on_limit) == (7, 7, True, "precedence", False, 13, "hit_miss")


def test_profile_from_applies_overrides():
    profile = profile_from("mdc", shift_points=7, screen_outliers=True)
    assert (profile.shift_points, profile.screen_outliers, profile.trend_points) == (7, True, 6)
    assert profile_from() == MDC


@pytest.mark.parametrize("preset, overrides, message", [
    ("excel", {}, "unknown SPC profile 'excel'"),
    ("mdc", {"shift": 7}, "unknown SPC setting 'shift'"),
    ("mdc", {"shift_points": 1}, "shift_points=1: must be at least 2"),
    ("mdc", {"shift_points": "7"}, "must be a whole number"),
    ("mdc", {"conflict": "blue"}, "choose one of improvement, precedence, concern"),
    ("nhsr", {"screen_outliers": "yes"}, "must be true or false"),
])
def test_profile_errors_name_the_setting(preset, overrides, message):
    with pytest.raises(ValueError, match=message):
        profile_from(preset, **overrides)


# ------------------------------------------------------------------ command line


def cli(text: str, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out, err = io.StringIO(), io.StringIO()
    code = run(parser.parse_args(list(argv)), io.StringIO(text), out, err)
    return code, out.getvalue(), err.getvalue()


def test_cli_prints_the_result_as_json():
    request = {"values": SHIFT_SERIES, "dates": [d.isoformat() for d in months(14)],
               "improvement_direction": "increase", "target": 11}
    code, out, err = cli(json.dumps(request))
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["variation_icon"] == "improvement_high"
    assert result["assurance_icon"] == "inconsistent"
    assert [p["point_type"] for p in result["points"]][-1] == "special_cause_improvement"


def test_cli_preset_and_settings_in_the_input():
    request = {"values": SHIFT_SERIES, "dates": [d.isoformat() for d in months(14)]}
    assert json.loads(cli(json.dumps(request), "--preset", "nhsr")[1])["variation_icon"] == \
        "common_cause"
    request["shift_points"] = 7
    assert json.loads(cli(json.dumps(request))[1])["variation_icon"] == "common_cause"


@pytest.mark.parametrize("text, message", [
    ("{not json", "input is not valid JSON"),
    ("[1, 2]", "one JSON object"),
    ('{"values": [1], "dates": ["2024-01-01"], "colour": 1}', "unknown key 'colour'"),
    ('{"values": [1, 2], "dates": ["2024-01-01"]}', "2 values but 1 date"),
    ('{"values": [1, "a"], "dates": ["2024-01-01", "2024-02-01"]}', "values[1] = 'a'"),
    ('{"values": [1, true], "dates": ["2024-01-01", "2024-02-01"]}', "values[1] = True"),
    ('{"values": [1, 2], "dates": ["2024-01-01", "2024-1-2"]}', "dates[1] = '2024-1-2'"),
    ('{"values": [1, 2], "dates": ["2024-01-01", "2024-01-01"]}', "appears more than once"),
    ('{"values": [1], "dates": ["2024-01-01"], "shift_points": 0}', "shift_points=0"),
    ('{"values": [1], "dates": ["2024-01-01"], "target": "high"}', "target 'high'"),
    ('{"dates": ["2024-01-01"]}', "'values' must be a list"),
])
def test_cli_rejects_bad_input_with_one_line_and_exit_code_2(text, message):
    code, out, err = cli(text)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_cli_in_a_subprocess_never_shows_a_traceback():
    script = ("import sys, argparse; from workforce.cli.spc import run, add_arguments; "
              "p = argparse.ArgumentParser(); add_arguments(p); "
              "sys.exit(run(p.parse_args(sys.argv[1:]), sys.stdin, sys.stdout, sys.stderr))")
    bad = subprocess.run([sys.executable, "-c", script], input='{"values": 3}', text=True,
                         capture_output=True, cwd=REPO)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    good = subprocess.run([sys.executable, "-c", script, "--preset", "nhsr"], text=True,
                          input=json.dumps({"values": [1, 2, 3], "dates": [
                              "2024-01-01", "2024-02-01", "2024-03-01"]}),
                          capture_output=True, cwd=REPO)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["points"][1]["mean"] == 2.0


def test_a_constant_ratio_is_on_its_mean_despite_rounding():
    # 40,000 / 1,500,000 × 100 each month: numpy's mean of 24 copies can differ in the last bit,
    # which must not read as "24 months above the mean" (a false special cause)
    value = 40000 / 1500000 * 100
    dates = [dt.date(2023 + (i // 12), i % 12 + 1, 1) for i in range(24)]
    result = analyse([value] * 24, dates, "decrease")
    assert set(result.point_type) == {"common_cause"}
    assert result.variation_icon == "common_cause"
