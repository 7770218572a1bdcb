"""The plain-English reading warns when the assurance describes a process that has since shifted."""

import datetime as dt

from workforce.kpi import KpiValue
from workforce.spc import analyse
from workforce.summary import reading


def test_reading_suggests_a_change_point_after_a_shift(config):
    # 20 months at 10%, then 6 at 5%: mean 230/26 = 8.846; moving ranges all 0 but one of 5, so the
    # mean moving range is 5/25 = 0.2 and the limits are 8.846 ± 0.532. The 6% target (lower is
    # better) lies below the lower limit → "consistently failing", yet the latest month is 5%.
    kpi = config.kpi_by_id["vacancy_rate"].model_copy(update={"target": None})
    dates = [dt.date(2024 + (i + 3) // 12, (i + 3) % 12 + 1, 1) for i in range(26)]
    result = analyse([10.0] * 20 + [5.0] * 6, dates, "decrease", 6.0)
    assert result.assurance_icon == "consistent_fail"
    assert result.point_type[-1] == "special_cause_improvement"
    latest = KpiValue("vacancy_rate", "Vacancy rate", "retain", dates[-1], 5.0, 6.0, -1.0, 5, 100, "%",
                      "percent1", "decrease", "month", False)
    text = reading(kpi, latest, result)
    assert "process has shifted since the limits were set" in text
    assert "change point" in text


def test_no_change_point_advice_once_limits_are_recalculated(config):
    kpi = config.kpi_by_id["vacancy_rate"]
    dates = [dt.date(2024 + (i + 3) // 12, (i + 3) % 12 + 1, 1) for i in range(26)]
    result = analyse([10.0] * 20 + [5.0] * 6, dates, "decrease", 6.0, rebase_dates=[dates[10]])
    latest = KpiValue("vacancy_rate", "Vacancy rate", "retain", dates[-1], 5.0, 6.0, -1.0, 5, 100, "%",
                      "percent1", "decrease", "month", False)
    assert "change point" not in reading(kpi, latest, result)
