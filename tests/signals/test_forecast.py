"""Year-end forecasts (workforce/signals/forecast.py), worked by hand: each method on series it must get
exactly right, the interval from known past errors, year-to-date months, and no look-ahead."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from workforce.signals.forecast import _month_shares, year_end_after, year_end_forecast


def months(n, start=dt.date(2023, 1, 1)):
    return [dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in range(n)]


def history(values, start=dt.date(2023, 1, 1)):
    return pd.DataFrame({"period": months(len(values), start), "value": values})


MONTHLY, ROLLING, FYTD, ANNUAL = (SimpleNamespace(window=w) for w in ("month", "rolling_12m", "fytd", "annual"))


def test_year_end_is_the_next_march():
    assert year_end_after(dt.date(2024, 12, 1)) == dt.date(2025, 3, 1)
    assert year_end_after(dt.date(2025, 2, 1)) == dt.date(2025, 3, 1)
    assert year_end_after(dt.date(2025, 3, 1)) == dt.date(2026, 3, 1)  # March's own figure is known
    assert year_end_after(dt.date(2025, 4, 1)) == dt.date(2026, 3, 1)


def test_seasonal_series_is_forecast_from_last_march():
    """A fixed winter peak repeated every year with no noise: the seasonal naive forecast is last
    March's value exactly, and every past error is 0, so the interval is that point."""
    pattern = [6.0, 5.8, 5.5, 5.0, 4.8, 4.6, 4.5, 4.6, 4.9, 5.2, 5.6, 6.1]  # Jan … Dec
    result = year_end_forecast(MONTHLY, history(pattern * 2))  # Jan 2023 – Dec 2024
    assert result.period == dt.date(2025, 3, 1) and result.method == "seasonal"
    assert result.value == pytest.approx(5.5) and result.lower == pytest.approx(5.5)
    assert result.upper == pytest.approx(5.5)


def test_rolling_figure_continues_last_years_change():
    """A 12-month figure rising 0.1 a month from 10.0 (Jan 2023 … Dec 2025, 36 months): drift over
    the last year adds 3/12 of the year's 1.2 rise: 13.5 + 0.3 = 13.8 at March 2026, exactly, and
    was never wrong. The range is still naive's, the wider: its 33 past errors (origins 0–32) are
    each +0.3 (three months' rise), RMSE 0.3, so ± t(0.975, 32) × 0.3 × √(34/33)
    = 2.036933 × 0.3 × 1.015038 = 0.620270."""
    result = year_end_forecast(ROLLING, history([10 + 0.1 * i for i in range(36)]))
    assert result.period == dt.date(2026, 3, 1) and result.method == "drift"
    assert result.value == pytest.approx(13.8)
    assert (result.range_method, result.errors) == ("naive", 33)
    assert (result.lower, result.upper) == pytest.approx((13.8 - 0.620270, 13.8 + 0.620270), abs=1e-5)


def test_rolling_figure_that_only_wanders_is_forecast_from_its_latest_value():
    """A 12-month figure of 10.0 for 36 months (Jan 2023 … Dec 2025) but 11.0 in Jun 2024 (index 17).
    At h = 3 naive's past errors (origins 0–32) are +1 at origin 14 and −1 at origin 17: RMSE √(2/33).
    Drift's are those and more (origin 17: 11 + ¼ × (11 − 10) = 11.25 against 10 → −1.25; origin 29:
    10 + ¼ × (10 − 11) = 9.75 → +0.25), so naive, the less wrong here, is used: 10.0 at March 2026."""
    values = [10.0] * 36
    values[17] = 11.0
    result = year_end_forecast(ROLLING, history(values))
    assert (result.method, result.value) == ("naive", pytest.approx(10.0))


def test_rolling_figure_range_is_the_wider_of_the_two_methods():
    """The series above (10.0 for 36 months, 11.0 at index 17), h = 3. Naive's half-width from its
    33 errors: t(0.975, 32) × √(2/33) × √(34/33) = 2.036933 × 0.246183 × 1.015038 = 0.508999.
    Drift's from its 21 (origins 12–32; before 12 there is no year of change): errors +1, −1.25 and
    +0.25, sum of squares 2.625, RMSE √(2.625/21) = 0.353553, so t(0.975, 20) × 0.353553 × √(22/21)
    = 2.085963 × 0.353553 × 1.023533 = 0.754855, the wider. Naive's point with drift's range:
    10.0 ± 0.754855, and the 21 errors behind it (so on_course recovers drift's scale)."""
    values = [10.0] * 36
    values[17] = 11.0
    result = year_end_forecast(ROLLING, history(values))
    assert (result.method, result.range_method, result.errors) == ("naive", "drift", 21)
    assert (result.lower, result.upper) == pytest.approx((10.0 - 0.754855, 10.0 + 0.754855), abs=1e-5)
    assert "wider of the two methods tried" in result.method_text
    assert "last year's change carried on was off in 21 earlier forecasts 3 months ahead" in result.method_text


def test_interval_from_known_past_errors():
    """5 in 2023, 6 in 2024, 5 in 2025 (monthly KPI, to Dec 2025). Seasonal naive at h = 3: March
    2025's 5. Its past errors at h = 3 are +1 for the 12 targets in 2024 and −1 for the 12 in 2025:
    n = 24, RMSE = 1. Half-width = t(0.975, 23) × 1 × √(1 + 1/24) = 2.0687 × 1.02062 = 2.1114."""
    result = year_end_forecast(MONTHLY, history([5.0] * 12 + [6.0] * 12 + [5.0] * 12))
    assert result.value == pytest.approx(5.0) and result.errors == 24
    assert result.lower == pytest.approx(5.0 - 2.1114, abs=2e-3)
    assert result.upper == pytest.approx(5.0 + 2.1114, abs=2e-3)


def test_lower_limit_never_below_zero():
    result = year_end_forecast(MONTHLY, history([0.5] * 12 + [3.0] * 12 + [0.5] * 12))
    assert result.lower == 0.0 and result.upper > result.value


def test_year_to_date_months_recovered():
    """Year-to-date 2, then (2 + 4)/2 = 3, then (2 + 4 + 6)/3 = 4 from April: the months' own figures
    are 2, 4 and 6 (k·ytd(k) − (k − 1)·ytd(k − 1))."""
    periods = pd.PeriodIndex([pd.Period(m, "M") for m in months(3, dt.date(2024, 4, 1))])
    assert list(_month_shares(np.array([2.0, 3.0, 4.0]), periods)) == pytest.approx([2.0, 4.0, 6.0])


def test_year_to_date_forecast_keeps_the_months_already_in():
    """Every month's own figure is 3%: the year-to-date figure is 3% throughout, the forecast for
    March is 3% and no past month was ever different, so the interval is the point."""
    result = year_end_forecast(FYTD, history([3.0] * 30, dt.date(2023, 4, 1)))  # to Sep 2025
    assert result.period == dt.date(2026, 3, 1) and result.method == "naive"
    assert (result.value, result.lower, result.upper) == pytest.approx((3.0, 3.0, 3.0))


def test_a_forecast_as_at_a_month_uses_no_later_data():
    values = [5.0] * 12 + [6.0] * 12 + [5.0] * 12
    full = history(values + [9.0] * 6)  # later months that must not count
    as_at = year_end_forecast(MONTHLY, full, as_at=dt.date(2025, 12, 1))
    assert as_at == year_end_forecast(MONTHLY, history(values))


def test_no_forecast_for_annual_kpis_or_without_enough_past_errors():
    assert year_end_forecast(ANNUAL, history([7.0] * 48)) is None
    assert year_end_forecast(MONTHLY, history([5.0] * 11)) is None
    # 18 months to Jun 2024, 9 to go: naive has 9 past errors 9 months ahead, drift none
    assert year_end_forecast(ROLLING, history([5.0] * 18)) is None
    assert year_end_forecast(MONTHLY, history([])) is None


def test_method_in_words():
    result = year_end_forecast(MONTHLY, history([5.0] * 12 + [6.0] * 12 + [5.0] * 12))
    assert result.horizon == 3
    assert result.method_text.startswith("Forecast: the same month last year")
    assert "off in 24 earlier forecasts 3 months ahead on this series" in result.method_text
