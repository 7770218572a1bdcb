"""The KPI detail view's words and forecast, worked by hand."""

import datetime as dt

import pandas as pd
import pytest

from workforce.detail import forecast, formula_in_words


def months(n, start=dt.date(2023, 1, 1)):
    return [dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in range(n)]


def test_formula_in_words(config):
    assert formula_in_words(config, config.kpi_by_id["sickness_absence_rate"]) == \
        "FTE days lost to sickness (summed) ÷ FTE days available (summed) × 100, in the month."
    assert formula_in_words(config, config.kpi_by_id["turnover_rate_12m"]).startswith(
        "Leavers from the organisation (summed) ÷ headcount (staff in post) (averaged over the start and end")


def test_forecast_projects_the_trend_to_march(config):
    # 24 months rising exactly 0.1 a month from 10.0 (Jan 2023 … Dec 2024): no scatter, so the
    # 95% range is a point. March 2025 is 3 months on from x = 23: 10 + 0.1 × 26 = 12.6.
    kpi = config.kpi_by_id["sickness_absence_rate"].model_copy(update={"target": None})
    history = pd.DataFrame({"period": months(24), "value": [10 + 0.1 * i for i in range(24)]})
    result = forecast(kpi, history)
    assert result.year_end == dt.date(2025, 3, 1)
    assert result.projected == pytest.approx(12.6)
    assert result.low == pytest.approx(12.6) and result.high == pytest.approx(12.6)
    target = config.kpi_by_id["sickness_absence_rate"]  # 4.5% target, lower is better
    verdict = forecast(target, history).verdict
    assert "not on course to meet its 4.5% target at the end of 2024/25" in verdict


def test_no_forecast_from_too_few_points_or_annual_kpis(config):
    short = pd.DataFrame({"period": months(11), "value": [5.0] * 11})
    assert forecast(config.kpi_by_id["sickness_absence_rate"], short) is None
    yearly = pd.DataFrame({"period": months(24), "value": [7.0] * 24})
    assert forecast(config.kpi_by_id["staff_engagement"], yearly) is None
