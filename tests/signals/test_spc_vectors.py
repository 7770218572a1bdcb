"""Conformance: every case in shared/spc/vectors.json (spec §9) against the engine.

NHSRplotthedots and nhspy cases run under the ``nhsr`` preset, MDC Single Chart
Tool cases under ``mdc``; each case's params override the preset. Every key of a
case's expectations must be checked here: an unhandled key fails the test.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import numpy as np
import pytest

from workforce.signals.spc import analyse, assurance_icon, profile_from, xmr_limits
from workforce.signals.spc.engine import (OUTSIDE, SHIFT, TREND, TWO_OF_THREE, Signals,
                                  resolve_conflicts, shift_ends, spread_back,
                                  trend_ends, two_of_three_windows)

VECTORS = Path(os.environ.get("WORKFORCE_SPC_VECTORS")
               or Path(__file__).resolve().parents[3] / "shared" / "spc" / "vectors.json")
if not VECTORS.exists():
    pytest.skip(f"SPC conformance vectors not found at {VECTORS} "
                "(set WORKFORCE_SPC_VECTORS to their path)", allow_module_level=True)

CASES = json.loads(VECTORS.read_text())["cases"]
MDC_COLOUR = {"common_cause": "common_cause", "special_cause_improvement": "improvement",
              "special_cause_concern": "concern", "special_cause_neutral_high": "neither",
              "special_cause_neutral_low": "neither"}
MDC_ASSURANCE = {"pass": "consistent_pass", "fail": "consistent_fail",
                 "hit_or_miss": "inconsistent", None: None}
LETTER_COLOUR = {"B": "improvement", "O": "concern", "g": "common_cause"}


def test_all_seventy_cases_are_present():
    assert len(CASES) == 70


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    if case["level"] == "component":
        COMPONENT_CHECKS[case["name"]](case["vectors"])
    elif case["family"] == "MDC-single-chart-tool":
        check_mdc_series(case)
    else:
        check_ptd_series(case)


# ------------------------------------------------------------------ running a case


def run(case, preset=None, **changes):
    """Analyse a series case under its family's preset plus the case params."""
    params = {**case["params"], **changes}
    values = case["input"]["values"]
    dates = case["input"].get("dates") or [
        (dt.date(2020, 1, 1) + dt.timedelta(days=i)).isoformat() for i in range(len(values))]
    rebase = params.pop("rebase_dates", [])
    params.pop("rebase_indices_0based", None)  # the same information as rebase_dates
    recalcs = params.pop("recalc_indices_0based", [])
    if recalcs:
        rebase = [dates[i] for i in recalcs]
    if "conflict_shows" in params:
        params["conflict"] = params.pop("conflict_shows")
    kwargs = dict(
        improvement_direction=params.pop("improvement_direction", None) or "neutral",
        target=params.pop("target", None),
        rebase_dates=rebase,
        fix_after_n_points=params.pop("fix_after_n_points", None),
    )
    family_preset = "mdc" if case["family"] == "MDC-single-chart-tool" else "nhsr"
    return analyse(values, dates, **kwargs, profile=profile_from(preset or family_preset, **params))


def ptd_label(rule: int, side: int) -> str:
    """NHSRplotthedots' special_cause_type wording for a deciding rule and side."""
    above = "Above" if side > 0 else "Below"
    return {
        0: "Common Cause",
        OUTSIDE: "Above UCL" if side > 0 else "Below LCL",
        TREND: f"7 Point Trend ({'Increasing' if side > 0 else 'Decreasing'})",
        TWO_OF_THREE: f"2 in 3 {above} CL",
        SHIFT: f"7 Points {above} CL",
    }[rule]


def labels(result) -> list[str]:
    return [ptd_label(int(r), int(s)) for r, s in zip(result.deciding_rule, result.signal_side)]


def has_trial_limits_warning(result) -> bool:
    return any("trial limits" in w for w in result.warnings)


def near(a, b, tol):
    return abs(a - b) <= tol


# ------------------------------------------------------------------ NHSRplotthedots / nhspy series


def check_ptd_series(case):
    result = run(case)
    expected = dict(case.get("expected") or {})
    tol = expected.pop("tolerance", 1e-9)
    first = result.groups[0].limits
    checks = {
        "mean": lambda v: near(first.mean, v, tol),
        "lpl": lambda v: near(first.lpl, v, tol),
        "upl": lambda v: near(first.upl, v, tol),
        "n": lambda v: len(result) == v,
        "rebase_group": lambda v: result.group.tolist() == v,
        "groups": lambda v: all(
            (g.first_index, g.last_index) == (e["first_index"], e["last_index"])
            and all(near(getattr(g.limits, k), e[k], tol) for k in ("mean", "lpl", "upl"))
            for g, e in zip(result.groups, v, strict=True)),
        "relative_to_mean": lambda v: result.relative_to_mean.tolist() == v,
        "relative_to_mean_first_15": lambda v: result.relative_to_mean[:15].tolist() == v,
        "outside_limits": lambda v: result.outside_limits.tolist() == v,
        "outside_limits_first_8": lambda v: result.outside_limits[:8].tolist() == v,
        "close_to_limits": lambda v: result.near_limits.tolist() == v,
        "close_to_limits_first_8": lambda v: result.near_limits[:8].tolist() == v,
        "special_cause_flag": lambda v: [t != "common_cause" for t in result.point_type] == v,
        "point_type": lambda v: list(result.point_type) == v,
        "point_type_last_2": lambda v: list(result.point_type[-2:]) == v,
        "all_common_cause": lambda v: (set(result.point_type) == {"common_cause"}) == v,
        "common_cause": lambda v: result.point_type.count("common_cause") == v,
        "summary": lambda v: (len(result), result.point_type.count("common_cause"),
                              result.point_type.count("special_cause_improvement"))
        == (v["n"], v["common_cause"], v["special_cause_improvement"]),
        "variation_icon": lambda v: result.variation_icon == v,
        "assurance_icon": lambda v: result.assurance_icon == v,
        "lpl_differs_from": lambda v: not near(first.lpl, v, 1e-3),
        "upl_differs_from": lambda v: not near(first.upl, v, 1e-3),
        "run_of_blue_points": lambda v: check_run(result, v),
        "assertion": lambda v: check_wider_than_screened(case, result),
    }
    for key, value in expected.items():
        assert key in checks, f"unhandled expectation {key!r}"
        assert checks[key](value), f"{case['name']}: {key} expected {value!r}"
    if case.get("reference_run"):
        check_reference_run(result, case["reference_run"])
    if "mdc_single_chart_tool_colours_for_comparison" in case:
        mdc = run(case, preset="mdc", screen_outliers=False)
        colours = case["mdc_single_chart_tool_colours_for_comparison"]
        assert [MDC_COLOUR[t] for t in mdc.point_type] == [LETTER_COLOUR[c] for c in colours]


def check_reference_run(result, ref):
    for got, want in zip(result.groups, ref["groups"], strict=True):
        assert (got.first_index, got.last_index) == (want["first_index"], want["last_index"])
        for key in ("mean", "lpl", "upl"):
            assert getattr(got.limits, key) == pytest.approx(want[key], abs=1e-9)
    assert result.relative_to_mean.tolist() == ref["relative_to_mean"]
    assert result.outside_limits.tolist() == ref["outside_limits"]
    assert result.near_limits.tolist() == ref["close_to_limits"]
    assert labels(result) == ref["special_cause_type"]
    assert list(result.point_type) == ref["point_type"]
    short = ref["short_group_warning_threshold13"]
    if isinstance(short, list):  # per point: is its recalculation period short?
        trial = [result.groups[g].n_values < 13 for g in result.group]
        assert trial == short and has_trial_limits_warning(result) == any(short)
    else:
        assert has_trial_limits_warning(result) == short
    assert result.variation_icon == ref["variation_icon"]
    assert result.assurance_icon == ref["assurance_type"]


def check_run(result, run_spec) -> bool:
    first, last = run_spec["first_index"], run_spec["last_index"]
    inside = range(first, last + 1)
    return (last - first + 1 == run_spec["length"]
            and all(result.point_type[i] == run_spec["point_type"] for i in inside)
            and all(labels(result)[i] == run_spec["rule"] for i in inside)
            and result.point_type[first - 1] != run_spec["point_type"]
            and result.point_type[last + 1] != run_spec["point_type"])


def check_wider_than_screened(case, unscreened) -> bool:
    screened = run(case, screen_outliers=True).groups[0].limits
    limits = unscreened.groups[0].limits
    return limits.upl - limits.lpl > screened.upl - screened.lpl


# ------------------------------------------------------------------ MDC Single Chart Tool series


def check_mdc_series(case):
    result = run(case)
    expected = dict(case["expected"])
    tol = expected.pop("tolerance", 1e-6)
    latest = result.latest_limits
    checks = {
        "point_colour": lambda v: [MDC_COLOUR[t] for t in result.point_type] == v,
        "variation_icon_derived": lambda v: result.variation_icon == mdc_icon(v),
        "variation_icon": lambda v: result.variation_icon == mdc_icon(v),
        "limits_shown": lambda v: result.limits_shown == v,
        "mean": lambda v: near(latest.mean, v, tol),
        "upl": lambda v: near(latest.upl, v, tol),
        "lpl": lambda v: near(latest.lpl, v, tol),
        "mean_moving_range": lambda v: near(latest.mean_moving_range, v, tol),
        "sigma": lambda v: near(latest.sigma, v, tol),
        "three_sigma": lambda v: near(latest.upl - latest.mean, v, tol),
        "latest_partition": lambda v: all(near(getattr(latest, k), v[k], 1e-6) for k in v),
        "assurance_icon": lambda v: result.assurance_icon == MDC_ASSURANCE[v],
        "assurance_icon_by_target_derived": lambda v: all(
            run(case, target=float(t)).assurance_icon == MDC_ASSURANCE[icon]
            for t, icon in v.items()),
    }
    for key, value in expected.items():
        assert key in checks, f"unhandled expectation {key!r}"
        assert checks[key](value), f"{case['name']}: {key} expected {value!r}"
    if expected.get("limits_shown") is False:
        assert result.assurance_icon is None and np.isnan(result.upl).all()


def mdc_icon(name):
    return None if name is None else name.replace("neither_", "neutral_")


# ------------------------------------------------------------------ components


def ptd_shift_ends(vectors):
    for v in vectors:  # NHSRplotthedots marks either side with 1
        assert (shift_ends(np.array(v["input"]), 7) != 0).astype(int).tolist() == v["expected"]


def ptd_part_of_run(vectors):
    for v in vectors:
        assert spread_back(np.array(v["input"]), 7).astype(int).tolist() == v["expected"]


def trend_end_marks(vectors):
    for v in vectors:
        assert trend_ends(np.array(v["input"], dtype=float), 7).tolist() == v["expected"]


def ptd_two_in_three(vectors):
    for v in vectors:
        close, rtm = np.array(v["close"], dtype=bool), np.array(v["rtm"])
        windows = two_of_three_windows(close, rtm)
        if v["two_in_three"] is not None:
            assert windows.astype(int).tolist() == v["two_in_three"]
        assert (windows & close).astype(int).tolist() == v["part_of"]


def ptd_rule_precedence(vectors):
    for v in vectors:
        y = np.array(v["y"], dtype=float)
        rtm = np.array(v["relative_to_mean"])
        in_trend = np.array(v["part_of_trend (mocked)"]) != 0
        slope = ptd_trend_slope(y, in_trend)
        signals = Signals(
            outside=np.where(np.array(v["outside_limits"]) != 0, rtm, 0),
            trend_up=in_trend & (slope > 0),
            trend_down=in_trend & (slope < 0),
            trend=np.where(in_trend, slope, 0),
            two_of_three=np.where(np.array(v["part_of_two_in_three (mocked)"]) != 0, rtm, 0),
            shift=np.where(np.array(v["part_of_shift (mocked)"]) != 0, rtm, 0),
        )
        side, rule = resolve_conflicts(signals, 1, "precedence")
        assert [ptd_label(int(r), int(s)) for r, s in zip(rule, side)] == v["expected"]


def ptd_trend_slope(y, in_trend):
    """NHSRplotthedots: the slope to the next point if that is also in a trend, else from
    the previous point."""
    rises = np.sign(np.diff(y))
    to_next = np.append(rises, rises[-1])
    from_previous = np.insert(rises, 0, 0)
    return np.where(in_trend & np.append(in_trend[1:], False), to_next, from_previous)


def ptd_assurance(vectors):
    for v in vectors:
        # For the rows_in_date_order vectors the latest (last) row's limits decide.
        limits = v["rows_in_date_order"][-1] if "rows_in_date_order" in v else v
        lpl = np.nan if limits["lpl"] is None else limits["lpl"]
        upl = np.nan if limits["upl"] is None else limits["upl"]
        assert assurance_icon(v["target"], lpl, upl, v["direction"], "hit_miss") == v["expected"]


def py_limits(vectors):
    for v in vectors:
        limits = xmr_limits(v["input"], screen_outliers=True)
        e = v["expected"]
        for got, want in ((limits.mean, e["mean"]), (limits.lpl, e["lpl"]),
                          (limits.upl, e["upl"]), (limits.lower_2sigma, e["nlpl_2sigma"]),
                          (limits.upper_2sigma, e["nupl_2sigma"])):
            assert got == pytest.approx(want, abs=1e-9), v["case"]


def py_one_side_mean(vectors):
    for v in vectors:
        got = (shift_ends(np.array(v["input"]), 7) != 0).tolist()
        if "deviation" in v:  # nhspy flags points on the mean; the spec says not to copy that
            assert got == [False] * len(v["input"])
        else:
            assert got == v["expected"]


def py_two_in_three(vectors):
    for v in vectors:
        windows = two_of_three_windows(np.array(v["close"]), np.array(v["rtm"]))
        assert windows.tolist() == v["expected"]


COMPONENT_CHECKS = {
    "ptd_component_seven_point_one_side_mean": ptd_shift_ends,
    "ptd_component_part_of_seven_trend": ptd_part_of_run,
    "ptd_component_seven_point_trend": trend_end_marks,
    "ptd_component_two_in_three": ptd_two_in_three,
    "ptd_component_rule_precedence": ptd_rule_precedence,
    "ptd_component_assurance": ptd_assurance,
    "py_component_limits_calculations": py_limits,
    "py_component_seven_point_trend": trend_end_marks,
    "py_component_seven_point_one_side_mean": py_one_side_mean,
    "py_component_two_in_three": py_two_in_three,
}
