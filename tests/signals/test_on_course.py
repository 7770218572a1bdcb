"""`on_course` where the t distribution cannot say it: a £0 target on a quantity that cannot go below
nothing (levy expired), worked by hand on a two-state chain; a short history says why no chance is
stated; and, on simulations with a known answer, the stated chance beats always stating the base rate."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from workforce.signals.outlook import beta_power, nothing_chance, on_course

ROOT = Path(__file__).resolve().parents[2]


def months(values, start=dt.date(2024, 4, 1)):
    periods = [dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
               for i in range(len(values))]
    return pd.DataFrame({"period": periods, "spc_value": [float(v) for v in values]})


# Apr 2024 … Nov 2025: something expired in Apr and Aug 2024, nothing since. Of the 19 pairs of
# neighbouring months, nothing followed nothing 16 times and something once (Jul → Aug 2024);
# nothing followed something both times it could.
LEVY = [5, 0, 0, 0, 5] + [0] * 15


def test_chance_of_nothing_expiring_by_hand():
    """As at Nov 2025 (h = 4 to March 2026): April–November 2025 held nothing, and the latest month
    too, so the chance is that the next 4 months hold nothing: q ~ Beta(16 + ½, 1 + ½),
    E[q⁴] = 16.5/18 × 17.5/19 × 18.5/20 × 19.5/21 = 0.725192."""
    assert beta_power(16.5, 1.5, 4) == pytest.approx(0.725192, abs=1e-6)
    assert nothing_chance(months(LEVY), 4, "rolling_12m", "gbp") == pytest.approx(0.725192, abs=1e-6)


def test_something_already_expired_since_april_means_no_chance():
    values = list(LEVY)
    values[15] = 1_000.0  # July 2025: in the financial year ending March 2026
    assert nothing_chance(months(values), 4, "rolling_12m", "gbp") == 0.0
    values[15] = 0.4  # shown as £0: nothing, as the board reads it
    assert nothing_chance(months(values), 4, "rolling_12m", "gbp") > 0.5


def test_latest_month_with_something_and_a_whole_year_to_go():
    """Apr 2024 … Mar 2025, something only in March: as at March, h = 12 and no month of the next
    financial year is in. Nothing after something: never seen, c ~ Beta(½, ½), E[c] = ½; nothing after
    nothing 10 times of 11: E[q¹¹] = Π(10.5 + i)/(12 + i), i = 0…10 = 0.347298; P = 0.173649."""
    assert nothing_chance(months([0] * 11 + [5]), 12, "rolling_12m", "gbp") == pytest.approx(0.173649, abs=1e-6)


def test_a_months_own_target_of_nothing_is_the_chains_state_h_months_on():
    """A monthly KPI (only March counts): q = 16.5/18, c = 2.5/3; from a month with nothing, two steps:
    (1 − q)·c + q·q = 0.083333 × 0.833333 + 0.916667² = 0.909722."""
    assert nothing_chance(months(LEVY), 2, "month", "gbp") == pytest.approx(0.909722, abs=1e-6)


def test_too_few_or_unknown_months_state_no_chance():
    assert nothing_chance(months([0] * 11), 4, "rolling_12m", "gbp") is None  # 11 months: 12 needed
    gap = list(LEVY)
    gap[17] = float("nan")  # September 2025 unknown (hidden or not reported)
    assert nothing_chance(months(gap), 4, "rolling_12m", "gbp") is None
    assert nothing_chance(None, 4, "rolling_12m", "gbp") is None


def test_on_course_uses_the_chain_for_a_target_of_nothing_only():
    forecast = SimpleNamespace(period=dt.date(2026, 3, 1), horizon=4, value=3_000.0, upper=9_000.0, errors=20)
    levy = on_course(forecast, 0.0, "decrease", "gbp", months(LEVY), "rolling_12m")
    assert levy.probability == pytest.approx(0.725192, abs=1e-6) and levy.period == dt.date(2026, 3, 1)
    assert on_course(forecast, 0.0, "decrease", "gbp") is None  # no months: no honest chance
    # a target above nothing keeps the forecast's t distribution: £3k ± (£6k ÷ t(0.975, 19)) against £5k
    assert 0.5 < on_course(forecast, 5_000.0, "decrease", "gbp").probability < 0.9


def test_a_short_history_says_why_no_chance_is_stated(config):
    """First-year leavers with 17 months to August 2025 (h = 7): naive has 10 earlier forecasts 7 months
    ahead (from April 2024 … January 2025), drift none, fewer than 12, so no chance — and the reading
    says why."""
    from workforce.measures.figure import latest_value
    from workforce.views.summary import summarise

    kpi = config.kpi_by_id["first_year_leaver_rate"]
    periods = [dt.date(2024 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(17)]  # Apr 2024 … Aug 2025
    values = [16.0 + 0.1 * (i % 3) for i in range(17)]
    history = pd.DataFrame({"period": periods, "value": values, "spc_value": values, "numerator": values,
                            "denominator": 100.0})
    row = summarise(config, kpi, latest_value(kpi, history, None, None), None)
    assert row.outlook is None
    assert "at least 12 earlier forecasts 7 months ahead" in row.outlook_reason
    assert "No chance of meeting the target is stated: the year-end forecast needs" in row.reading
    assert row.outlook_text.startswith("No chance of meeting the target stated")


@pytest.mark.slow  # about 20 s: simulated trusts, each forecast re-run from every earlier month
@pytest.mark.parametrize("shape", ["first_year_leavers (12-month rate, small counts)",
                                   "levy_expired (money, £0 target)"])
def test_stated_chance_beats_the_base_rate_on_simulations_with_a_known_answer(shape):
    """The two shapes whose chances were worse than the base rate (first-year leavers: a noisy
    12-month rate; levy expired: £0 target). On stable, shifted and trending processes the stated
    chance's Brier score is below that of always stating the base rate, and within 0.06 of the
    true chance's (the best any forecast could do)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_on_course import stated_chance
    from oncourse_sims import simulate

    from workforce.measures.figure import performance

    frame = pd.concat([simulate(shape, scenario, 8, 11, stated_chance, performance)
                       for scenario in ("stable", "shifted", "trending")])
    met = frame["met"].astype(float)
    stated, truth, base = (((p - met) ** 2).mean() for p in (frame["probability"], frame["truth"], met.mean()))
    assert len(frame) > 500 and stated < base and stated - truth < 0.06
