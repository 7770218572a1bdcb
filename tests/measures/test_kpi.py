"""KPI arithmetic against figures worked out by hand for the small fixture (see conftest.py).

Hand working, Dec 2024 (month index i = 23); Dec 2023 is i = 11:
- Turnover, Hertfordshire and West Essex (RWH + RWG): leavers over 12 months = RWH (2 + 1) × 12
  + RWG 3 × 12 = 72; headcount Dec 2023 = (100 + 11) + 50 + 200 = 361, Dec 2024 = 123 + 50 + 200
  = 373; mean 367; 72 / 367 = 19.6185%. Breakdown rows must not be added in (that would give
  leavers 96 and a much larger headcount).
- Sickness, same ICS, one month: (50 + 100) / (1000 + 3000) = 3.75% — an average of the two
  trusts' rates (5% and 3.33%) would wrongly give 4.17%.
- Agency: (10,000 + 30,000) / (500,000 + 1,000,000) = 2.667%.
- Staff engagement 2024: (350 + 975) / (50 + 150) = 6.625 — the mean of the two trusts' means
  (7.0 and 6.5) would wrongly give 6.75.
- Turnover, RWH nurses only: 24 / ((111 + 123) / 2) = 24 / 117 = 20.513%.
"""

import datetime as dt

import pandas as pd
import pytest

from tests.conftest import LAST, NURSES
from workforce.measures.kpi import kpi_frame
from workforce.protect.figures import latest_values
from workforce.measures.selection import Selection


def value_of(values, kpi_id):
    return next(v for v in values if v.kpi == kpi_id)


def test_ics_turnover_is_a_ratio_of_sums(small_db, config):
    month, values = latest_values(small_db, config, Selection(ics="QM7"))
    assert month == LAST
    turnover = value_of(values, "turnover_rate_12m")
    assert turnover.value == pytest.approx(72 / 367 * 100)
    assert turnover.numerator == 72
    assert turnover.denominator == pytest.approx(367)
    assert turnover.target == 11.0  # the 2024/25 step of the trajectory
    assert turnover.value_text == "19.6%"


def test_sickness_agency_and_engagement_are_not_averages_of_rates(small_db, config):
    _, values = latest_values(small_db, config, Selection(ics="QM7"))
    assert value_of(values, "sickness_absence_rate").value == pytest.approx(3.75)
    assert value_of(values, "agency_spend_pct").value == pytest.approx(40000 / 1500000 * 100)
    engagement = value_of(values, "staff_engagement")
    assert engagement.value == pytest.approx(6.625)
    assert engagement.period == dt.date(2024, 10, 1)  # annual: the latest figure at or before the month


def test_one_organisation_and_staff_group(small_db, config):
    _, values = latest_values(small_db, config, Selection(ics="QM7", orgs=("RWH",), staff_group=NURSES))
    # a staff group chosen is a protected view: published from its counts as shown (24 → 25, 117 → 115)
    turnover = value_of(values, "turnover_rate_12m")
    assert (turnover.numerator, turnover.denominator, turnover.value) == (25, 115, round(25 / 115 * 100, 1))
    # agency spend is only reported for whole organisations, so it has no staff-group figure
    assert value_of(values, "agency_spend_pct").value is None


def test_rolling_window_needs_twelve_months(small_db, config):
    frame = kpi_frame(small_db, config, [config.kpi_by_id["turnover_rate_12m"]], ["RWH", "RWG"])
    # Data start Jan 2023: the first complete window with a start stock is Jan 2024 (m-12 = Jan 2023)
    assert frame.dropna(subset=["value"])["period"].min() == dt.date(2024, 1, 1)
    # the monthly SPC series needs only the month before's stock: from Feb 2023, 11 months earlier
    # (Feb 2023: 6 leavers ÷ mean headcount (350 + 351) / 2, × 12 × 100)
    feb = frame[frame["period"] == dt.date(2023, 2, 1)].iloc[0]
    assert pd.isna(feb["value"]) and feb["spc_value"] == pytest.approx(6 / 350.5 * 12 * 100)
    jan = frame[frame["period"] == dt.date(2024, 1, 1)].iloc[0]
    # leavers Feb 2023..Jan 2024 = 72; headcount Jan 2023 = 100+50+200 = 350, Jan 2024 = 112+50+200 = 362
    assert jan["value"] == pytest.approx(72 / 356 * 100)


def test_kpi_for_a_past_month(small_db, config):
    month, values = latest_values(small_db, config, Selection(ics="QM7", period=dt.date(2024, 6, 1)))
    assert month == dt.date(2024, 6, 1)
    # i = 17 (Jun 2024), i = 5 (Jun 2023): headcount 355 and 367 → mean 361
    assert value_of(values, "turnover_rate_12m").value == pytest.approx(72 / 361 * 100)
    assert value_of(values, "staff_engagement").period == dt.date(2023, 10, 1)


def test_group_by_organisation_and_ethnicity(small_db, config):
    turnover = config.kpi_by_id["turnover_rate_12m"]
    by_org = kpi_frame(small_db, config, [turnover], ["RWH", "RWG", "RN7"], group_by="org")
    last = by_org[by_org["period"] == LAST].set_index("grp")["value"]
    assert last["RWG"] == pytest.approx(36 / 200 * 100)
    assert last["RN7"] == pytest.approx(12 / 80 * 100)
    by_eth = kpi_frame(small_db, config, [turnover], ["RWH"], breakdown="ethnicity", group_by="breakdown_value")
    eth = by_eth[by_eth["period"] == LAST].set_index("grp")["value"]
    assert eth["White"] == pytest.approx(12 / ((81 + 93) / 2) * 100)  # 13.79%
    assert eth["Asian or Asian British"] == pytest.approx(12 / 30 * 100)  # 40%


def test_england_selection_covers_every_organisation(small_db, config):
    _, values = latest_values(small_db, config, Selection(ics="ENG"))
    # adds RN7: leavers 72 + 12 = 84; headcount means 367 + 80 = 447
    assert value_of(values, "turnover_rate_12m").value == pytest.approx(84 / 447 * 100)
