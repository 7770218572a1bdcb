"""The plain-English reading withholds the assurance (with the reason) when the process has shifted
away from its limits and no change point is registered."""

import datetime as dt

from workforce.measures.figure import KpiValue
from workforce.signals.spc import analyse
from workforce.views.summary import honest_signals, reading


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
    shown, note, shift = honest_signals(kpi, latest, result)
    text = reading(kpi, latest, shown, note)
    assert shown.assurance_icon is None and shift == dates[20]  # the first month at 5%
    assert "Assurance withheld: the last 6 months are all below the mean" in text
    assert "change point at December 2025" in text
    assert "will not be met" not in text  # the stale F verdict is not printed beside a figure meeting target


def test_no_change_point_advice_once_limits_are_recalculated(config):
    kpi = config.kpi_by_id["vacancy_rate"]
    dates = [dt.date(2024 + (i + 3) // 12, (i + 3) % 12 + 1, 1) for i in range(26)]
    # The change point registered where the shift began: the new limits describe the 5% process.
    result = analyse([10.0] * 20 + [5.0] * 6, dates, "decrease", 6.0, rebase_dates=[dates[20]])
    latest = KpiValue("vacancy_rate", "Vacancy rate", "retain", dates[-1], 5.0, 6.0, -1.0, 5, 100, "%",
                      "percent1", "decrease", "month", False)
    shown, note, shift = honest_signals(kpi, latest, result)
    assert shift is None and note == "" and shown.assurance_icon == "consistent_pass"
    assert "change point" not in reading(kpi, latest, shown, note)


def test_what_changed_since_last_month(config):
    import pandas as pd

    from workforce.views.summary import KpiSummary, analyse_kpi, changes_since_last_month

    # 23 months alternating 3.9% / 4.1% (mean 4.0, moving range 0.2, upper limit about 4.55), then
    # 6.0% in Dec 2024: beyond the upper limit (a new special cause) and over the 4.5% target.
    kpi = config.kpi_by_id["sickness_absence_rate"]
    dates = [dt.date(2023 + i // 12, i % 12 + 1, 1) for i in range(24)]
    history = pd.DataFrame({"period": dates, "value": [3.9, 4.1] * 11 + [3.9, 6.0]})
    latest = KpiValue(kpi.id, kpi.label, "retain", dates[-1], 6.0, 4.5, 1.5, 60, 1000, "%", "percent1",
                      "decrease", "month", False, history)
    now, before = analyse_kpi(config, kpi, history), analyse_kpi(config, kpi, history.iloc[:-1])
    lines = changes_since_last_month([KpiSummary(kpi, latest, now, before, "")])
    assert "Sickness absence rate: variation changed from common cause to concern high." in lines
    assert any(line.startswith("Sickness absence rate: a new special-cause signal in Dec 2024") for line in lines)
    assert "Sickness absence rate: now off target (6.0% against 4.5%)." in lines


def test_what_changed_says_when_assurance_is_withheld(config):
    import pandas as pd

    from workforce.views.summary import changes_since_last_month, summarise

    # 30 months alternating 5.1% / 4.9% (ending below the mean), then 6 at 5.6%: the sixth month above the mean makes a
    # shift with no change point, so this month's assurance is withheld; last month (5 above) it
    # was still "consistently failing" the 4.0% target (below the lower limit, lower is better).
    from workforce.base.config import Target

    kpi = config.kpi_by_id["sickness_absence_rate"].model_copy(update={"target": Target(value=4.0)})
    dates = [dt.date(2023 + i // 12, i % 12 + 1, 1) for i in range(36)]
    values = [5.1, 4.9] * 15 + [5.6] * 6
    history = pd.DataFrame({"period": dates, "value": values, "spc_value": values})
    latest = KpiValue(kpi.id, kpi.label, "retain", dates[-1], 5.6, 4.0, 1.6, 56, 1000, "%", "percent1",
                      "decrease", "month", False, history)
    row = summarise(config, kpi, latest, None)
    assert row.assurance_icon is None and row.matrix_assurance == "withheld"
    assert row.previous_spc.assurance_icon == "consistent_fail" and not row.previous_withheld
    assert "Sickness absence rate: assurance changed from consistent fail to withheld (the process has shifted)." \
        in changes_since_last_month([row])
