"""The KPI detail view's words and forecast, worked by hand."""

import datetime as dt

import pandas as pd
import pytest

from workforce.views.detail import forecast, formula_in_words


def months(n, start=dt.date(2023, 1, 1)):
    return [dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in range(n)]


def test_formula_in_words(config):
    assert formula_in_words(config, config.kpi_by_id["sickness_absence_rate"]) == \
        "FTE days lost to sickness (summed) ÷ FTE days available (summed) × 100, in the month."
    assert formula_in_words(config, config.kpi_by_id["turnover_rate_12m"]).startswith(
        "Leavers from the organisation (summed) ÷ headcount (staff in post) (averaged over the start and end")


def test_forecast_verdict_against_the_year_end_target(config):
    # Sickness 5% in 2023, 6% in 2024, 5% in 2025 (to December): the seasonal naive forecast for
    # March 2026 is March 2025's 5.0%, with a 95% range of ±2.11 points (tests/signals/test_forecast.py);
    # against the 4.5% target (lower is better) both ends cannot be called, so it is uncertain.
    history = pd.DataFrame({"period": months(36), "value": [5.0] * 12 + [6.0] * 12 + [5.0] * 12})
    result = forecast(config.kpi_by_id["sickness_absence_rate"], history)
    assert result.year_end == dt.date(2026, 3, 1) and result.projected == pytest.approx(5.0)
    assert "uncertain to meet its 4.5% target at the end of 2025/26" in result.verdict
    worse = pd.DataFrame({"period": months(36), "value": [8.0] * 12 + [8.2] * 12 + [8.0] * 12})
    assert "not on course to meet its 4.5% target" in forecast(config.kpi_by_id["sickness_absence_rate"],
                                                               worse).verdict


def test_no_forecast_from_too_few_points_or_annual_kpis(config):
    short = pd.DataFrame({"period": months(11), "value": [5.0] * 11})
    assert forecast(config.kpi_by_id["sickness_absence_rate"], short) is None
    yearly = pd.DataFrame({"period": months(24), "value": [7.0] * 24})
    assert forecast(config.kpi_by_id["staff_engagement"], yearly) is None
