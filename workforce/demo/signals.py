"""The deliberate signals planted in the demo, each with its organisation, date and size.

They give a board something real to find on its SPC charts. The generator, the tests and
docs/demo-data.md all read them from here, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .reference import NURSES


@dataclass(frozen=True)
class FlexibleWorking:
    """A flexible-working programme cuts leavers and lifts satisfaction with flexible working."""

    org: str = "RWG"                       # West Hertfordshire Teaching Hospitals
    start: dt.date = dt.date(2024, 4, 1)
    leaver_factor: float = 0.77            # monthly leavers −23%
    satisfaction_uplift: float = 0.12      # +12 points of respondents satisfied, from the 2024 survey


@dataclass(frozen=True)
class SicknessRise:
    """Sickness shifts up and keeps rising (a sustained shift and trend)."""

    org: str = "RYD"                       # South East Coast Ambulance Service
    start: dt.date = dt.date(2024, 1, 1)
    step: float = 0.15                     # ×1.15 at once (≈ +1 point on ~7%)
    monthly_trend: float = 0.005           # then +0.5% of the rate a month …
    trend_months: int = 24                 # … for two years (≈ +0.9 points), then level


@dataclass(frozen=True)
class LevyPooling:
    """ICS-wide levy pooling: more transfers out, more drawn down, less expiry."""

    ics: str = "QM7"                       # Hertfordshire and West Essex
    start: dt.date = dt.date(2023, 10, 1)
    ramp_months: int = 6
    transfer_share: tuple[float, float] = (0.15, 0.25)   # of funds, once pooled
    drawdown_uplift: float = 0.10          # extra share of funds drawn down for training
    starts_uplift: float = 0.15            # apprenticeship starts +15%


@dataclass(frozen=True)
class EthnicityLeaverGap:
    """BME staff become steadily more likely to leave than White staff."""

    org: str = "RQW"                       # The Princess Alexandra Hospital
    start: dt.date = dt.date(2024, 1, 1)
    ramp_months: int = 18
    extra_weight: float = 0.7              # BME relative likelihood of leaving 1.1 → 1.8 (White 1.0)


@dataclass(frozen=True)
class InternationalRecruitment:
    """Cohorts of internationally recruited nurses fill vacancies."""

    org: str = "RWH"                       # East and North Hertfordshire Teaching
    staff_group: str = NURSES
    baseline_vacancy_pct: float = 12.5
    cohorts: tuple[tuple[str, int], ...] = (("2022-10", 25), ("2022-11", 25), ("2022-12", 25),
                                            ("2023-01", 25), ("2023-02", 25))


FLEXIBLE_WORKING = FlexibleWorking()
SICKNESS_RISE = SicknessRise()
LEVY_POOLING = LevyPooling()
ETHNICITY_LEAVER_GAP = EthnicityLeaverGap()
INTERNATIONAL_RECRUITMENT = InternationalRecruitment()
