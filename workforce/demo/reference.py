"""Reference parameters of the synthetic demo: sizes, rates, mixes and national paths.

Every number here is an *input* to the generator, chosen so that the KPIs computed from the
generated components land in the ranges of /work/shared/reference/domain.md §2 ("Suggested
synthetic-data ranges") and follow the national movements of §1–2. Values marked
"assumption" have no source in domain.md; docs/demo-data.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DOCTORS = "HCHS doctors"
NURSES = "Nurses & health visitors"
MIDWIVES = "Midwives"
AMBULANCE = "Ambulance staff"
STT = "Scientific, therapeutic & technical staff"
SUPPORT_DNM = "Support to doctors, nurses & midwives"
SUPPORT_AMBULANCE = "Support to ambulance staff"
SUPPORT_STT = "Support to ST&T staff"
CENTRAL = "Central functions"
ESTATES = "Hotel, property & estates"
SENIOR_MANAGERS = "Senior managers"
MANAGERS = "Managers"
OTHER = "Other staff or those with unknown classification"

NHS_ORG_TYPES = ("acute", "community", "mental health", "ambulance", "ICB")  # pay the levy, run the staff survey
AGE_BANDS = ("Under 25", "25-34", "35-44", "45-54", "55-64", "65 and over")
DEFAULT_AGE_SHARES = (0.06, 0.24, 0.25, 0.23, 0.19, 0.03)


@dataclass(frozen=True)
class GroupProfile:
    """How one staff group behaves, relative to its organisation."""

    fte_ratio: float            # FTE per head (part-time working)
    leaver_factor: float        # × the organisation's leaver rate (normalised over the mix)
    sickness_pct: float         # typical monthly sickness rate, % (§2: medical ~1.2–1.5, support to ambulance 8.9)
    vacancy_pct: tuple[float, float]   # range of the baseline vacancy rate, % (§2: nursing 5–12, medical 3–7)
    first_year_factor: float = 1.0     # × the organisation's first-year leaver rate
    local_pipeline_factor: float = 1.0  # × the organisation's share of joiners from local pipelines
    apprenticeship_factor: float = 1.0  # × the organisation's apprenticeship start rate
    rotates: bool = False       # resident doctors leave and join at the August rotation
    female_share: float = 0.77  # §0/brief: ~77% of NHS staff are female
    nonwhite_odds: float = 1.0  # × the region's odds of a non-White ethnicity
    age_shares: tuple[float, ...] = DEFAULT_AGE_SHARES


GROUPS: dict[str, GroupProfile] = {
    DOCTORS: GroupProfile(0.94, 1.55, 1.5, (3, 7), first_year_factor=1.6, local_pipeline_factor=0.4,
                          apprenticeship_factor=0.0, rotates=True, female_share=0.50, nonwhite_odds=3.0,
                          age_shares=(0.02, 0.42, 0.30, 0.16, 0.09, 0.01)),
    NURSES: GroupProfile(0.88, 0.90, 5.2, (5, 12), first_year_factor=0.85, local_pipeline_factor=1.3,
                         apprenticeship_factor=0.8, female_share=0.89, nonwhite_odds=1.5),
    MIDWIVES: GroupProfile(0.80, 0.90, 5.8, (5, 11), first_year_factor=0.85, local_pipeline_factor=1.3,
                           apprenticeship_factor=0.5, female_share=0.99, nonwhite_odds=0.8),
    AMBULANCE: GroupProfile(0.93, 0.80, 7.0, (4, 9), first_year_factor=0.8, local_pipeline_factor=1.2,
                            apprenticeship_factor=1.2, female_share=0.50, nonwhite_odds=0.25),
    STT: GroupProfile(0.87, 1.00, 4.0, (5, 10), local_pipeline_factor=1.2, apprenticeship_factor=0.8,
                      female_share=0.80, nonwhite_odds=1.2),
    SUPPORT_DNM: GroupProfile(0.84, 1.15, 6.8, (5, 10), first_year_factor=1.25, local_pipeline_factor=1.1,
                              apprenticeship_factor=2.0, female_share=0.80, nonwhite_odds=1.1,
                              age_shares=(0.12, 0.25, 0.21, 0.21, 0.18, 0.03)),
    SUPPORT_AMBULANCE: GroupProfile(0.90, 1.30, 8.5, (5, 10), first_year_factor=1.25, apprenticeship_factor=1.5,
                                    female_share=0.60, nonwhite_odds=0.5,
                                    age_shares=(0.14, 0.30, 0.21, 0.18, 0.15, 0.02)),
    SUPPORT_STT: GroupProfile(0.85, 1.10, 5.5, (5, 10), first_year_factor=1.15, apprenticeship_factor=1.5,
                              female_share=0.75, nonwhite_odds=1.0),
    CENTRAL: GroupProfile(0.86, 1.05, 4.3, (5, 9), first_year_factor=1.15, local_pipeline_factor=0.9,
                          apprenticeship_factor=1.5, female_share=0.78, nonwhite_odds=0.6),
    ESTATES: GroupProfile(0.80, 1.00, 6.2, (5, 10), apprenticeship_factor=1.0, female_share=0.50,
                          nonwhite_odds=0.8, age_shares=(0.05, 0.16, 0.20, 0.26, 0.27, 0.06)),
    SENIOR_MANAGERS: GroupProfile(0.97, 0.80, 2.1, (3, 7), first_year_factor=0.7, local_pipeline_factor=0.3,
                                  apprenticeship_factor=0.3, female_share=0.58, nonwhite_odds=0.5,
                                  age_shares=(0.0, 0.05, 0.30, 0.40, 0.23, 0.02)),
    MANAGERS: GroupProfile(0.93, 0.90, 3.2, (4, 8), first_year_factor=0.8, local_pipeline_factor=0.6,
                           apprenticeship_factor=0.8, female_share=0.70, nonwhite_odds=0.7,
                           age_shares=(0.01, 0.17, 0.32, 0.31, 0.18, 0.01)),
    OTHER: GroupProfile(0.80, 1.20, 4.5, (5, 10), apprenticeship_factor=0.5, female_share=0.65),
}


@dataclass(frozen=True)
class OrgTypeProfile:
    """How one type of organisation is sized and behaves."""

    headcount: tuple[int, int]          # total headcount at the start (log-uniform)
    turnover_pct: tuple[float, float]   # 12-month organisation leaver rate the draw aims for, %
    staff_mix: dict[str, float]         # share of headcount by staff group
    sickness_factor: tuple[float, float] = (0.9, 1.1)   # × the group rates (regional variation, §2)
    cost_per_fte: tuple[float, float] = (45_000, 49_000)  # £ a year in 2021/22 (brief: £45–55k)
    agency_pct: tuple[float, float] = (2.6, 3.8)   # % of pay bill in 2021/22, before the national path
    engagement: float = 6.85            # staff survey engagement, 0–10 (§1.5: ambulance low, community/MH high)
    growth_pct: tuple[float, float] = (1.0, 3.5)   # headcount growth a year, % (assumption)
    first_year_pct: tuple[float, float] = (15.0, 19.0)  # first-year leaver rate aimed for, % (§1.2: 12–20%)


ORG_TYPES: dict[str, OrgTypeProfile] = {
    # §2: organisation turnover acute 9–14%, MH/community 11–17%, ambulance 8–12%. The draw ranges sit
    # inside them because the national leaver path moves every organisation by about ±10%.
    "acute": OrgTypeProfile(
        (3_500, 9_500), (9.8, 12.6),
        {DOCTORS: .13, NURSES: .30, MIDWIVES: .04, STT: .12, SUPPORT_DNM: .20, SUPPORT_STT: .04,
         CENTRAL: .08, ESTATES: .05, SENIOR_MANAGERS: .007, MANAGERS: .03, OTHER: .003}),
    "mental health": OrgTypeProfile(
        (2_500, 5_000), (12.0, 15.5),
        {DOCTORS: .07, NURSES: .30, STT: .17, SUPPORT_DNM: .22, SUPPORT_STT: .04, CENTRAL: .12,
         ESTATES: .03, SENIOR_MANAGERS: .01, MANAGERS: .04},
        engagement=7.05),
    "community": OrgTypeProfile(
        (1_800, 4_500), (12.0, 15.5),
        {DOCTORS: .02, NURSES: .33, STT: .20, SUPPORT_DNM: .17, SUPPORT_STT: .05, CENTRAL: .15,
         ESTATES: .02, SENIOR_MANAGERS: .01, MANAGERS: .05},
        engagement=7.10),
    "ambulance": OrgTypeProfile(
        (3_500, 6_500), (8.8, 11.0),
        {AMBULANCE: .42, SUPPORT_AMBULANCE: .30, NURSES: .04, DOCTORS: .003, CENTRAL: .13,
         ESTATES: .05, SENIOR_MANAGERS: .007, MANAGERS: .05},
        sickness_factor=(0.95, 1.05), engagement=6.55),
    # ICBs: commissioners, mostly corporate staff with a small clinical quality team.
    "ICB": OrgTypeProfile(
        (300, 700), (11.0, 15.0),
        {CENTRAL: .55, MANAGERS: .28, SENIOR_MANAGERS: .10, NURSES: .07},
        sickness_factor=(0.75, 0.9), cost_per_fte=(49_000, 53_000), agency_pct=(1.0, 2.0),
        engagement=7.10),
    # Aggregates of many small employers (assumption: sized as the providers sharing data, not the
    # whole sector; social care turnover well above the NHS).
    "primary care": OrgTypeProfile(
        (4_000, 7_000), (12.0, 16.0),
        {DOCTORS: .25, NURSES: .12, SUPPORT_DNM: .12, STT: .08, CENTRAL: .36, MANAGERS: .07},
        sickness_factor=(0.7, 0.85), cost_per_fte=(44_000, 48_000), agency_pct=(1.0, 2.0)),
    "adult social care": OrgTypeProfile(
        (5_000, 9_000), (22.0, 28.0),
        {SUPPORT_DNM: .78, NURSES: .04, MANAGERS: .07, CENTRAL: .05, ESTATES: .06},
        sickness_factor=(0.6, 0.75), cost_per_fte=(26_000, 29_000), agency_pct=(2.0, 4.0),
        first_year_pct=(20.0, 25.0)),
}

# Equality profiles. Ethnicity: the share of White staff for an average staff group, by NHS England
# region (brief: ~70–80%, varying by region; London is much lower — assumption). Within the non-White
# share, the split across groups (doctors are more often Asian).
WHITE_SHARE_BY_REGION = {"Y61": 0.76, "Y59": 0.79, "Y63": 0.85, "Y56": 0.52, "Y60": 0.72, "Y62": 0.80, "Y58": 0.88}
DEFAULT_WHITE_SHARE = 0.78
ETHNICITY_NOT_STATED_SHARE = 0.03
NONWHITE_SPLIT = {"Asian or Asian British": 0.52, "Black or Black British": 0.30, "Mixed": 0.08,
                  "Other ethnic group": 0.10}
NONWHITE_SPLIT_DOCTORS = {"Asian or Asian British": 0.72, "Black or Black British": 0.14, "Mixed": 0.05,
                          "Other ethnic group": 0.09}
NONWHITE_ODDS_GROWTH = 0.05   # a year: the workforce grows more diverse (assumption)
DISABILITY_SHARES = {"Not disabled": 0.78, "Disabled": 0.055, "Not declared": 0.165}
DISABLED_SHARE_GROWTH = 0.006  # points a year moving from "Not declared" to "Disabled" (assumption)

# Relative likelihood of leaving, by breakdown value (assumption: young and retirement-age staff,
# staff who do not state their ethnicity and disabled staff leave more often).
LEAVER_WEIGHTS = {
    "ethnicity": {"White": 1.0, "Asian or Asian British": 1.1, "Black or Black British": 1.1, "Mixed": 1.1,
                  "Other ethnic group": 1.1, "Not stated": 1.4},
    "sex": {"Female": 1.0, "Male": 1.05},
    "age_band": dict(zip(AGE_BANDS, (2.0, 1.3, 0.85, 0.7, 1.3, 2.8))),
    "disability": {"Not disabled": 1.0, "Disabled": 1.25, "Not declared": 1.1},
}
BME_VALUES = ("Asian or Asian British", "Black or Black British", "Mixed", "Other ethnic group")


# National paths: (YYYY-MM, value) knots, linear between them and flat beyond the ends.
@dataclass(frozen=True)
class Path:
    knots: tuple[tuple[str, float], ...]
    note: str = field(default="", compare=False)


# Leaver rate relative to its long-run level: 12.5% in the year to Sep 2022, 10.1% to Sep 2024,
# pandemic low 9.2% (domain.md §2, NHS leaver rate).
LEAVER_PATH = Path((("2016-11", 0.95), ("2019-09", 0.97), ("2020-09", 0.86), ("2021-09", 1.02),
                    ("2022-09", 1.15), ("2023-09", 1.02), ("2024-09", 0.93), ("2025-09", 0.91)))
# Sickness, percentage points added to an all-staff rate of ~4.8%: 4.15% (2015/16), 4.3% (2019),
# 5.6% (2022), 5.5% (Jan 2024), 5.7% (Jan 2025) (domain.md §2); the Jan figures include the winter peak.
SICKNESS_PATH = Path((("2016-11", -0.55), ("2019-06", -0.45), ("2020-04", 0.9), ("2020-08", -0.2),
                      ("2021-04", 0.2), ("2022-01", 1.0), ("2022-07", 0.8), ("2023-01", 0.6),
                      ("2023-09", 0.2), ("2024-01", 0.25), ("2025-01", 0.45), ("2026-01", 0.4)))
SICKNESS_REFERENCE_PCT = 4.8
# Vacancy rate relative to baseline: ~10% (Jun 2022), 7.5% (Sep 2024), 6.7% (Sep 2025) (domain.md §2).
VACANCY_PATH = Path((("2016-11", 1.05), ("2021-04", 1.1), ("2022-06", 1.3), ("2022-09", 1.3),
                     ("2024-09", 1.0), ("2025-09", 0.9), ("2026-10", 0.88)))
# Agency spend relative to 2021/22: £3.46bn (22/23), £3.02bn (23/24), £2.07bn (24/25), −30% asked for
# 2025/26 (domain.md §1.7); higher before the 2016–19 caps (assumption).
AGENCY_PATH = Path((("2016-10", 1.25), ("2019-10", 1.0), ("2021-10", 1.0), ("2022-10", 1.05),
                    ("2023-10", 0.92), ("2024-10", 0.63), ("2025-10", 0.45), ("2026-10", 0.42)))
PAY_UPLIFT = 0.035            # a year each April (assumption: pay awards and drift)
# Nursing applicants at the June deadline relative to 2021: −27% by 2024, −8% on 2023, flat in 2025
# (domain.md §1.8). Other years are assumptions (the 2017 bursary removal, the 2020 surge).
APPLICATIONS_PATH = Path((("2016-06", 0.95), ("2017-06", 0.80), ("2018-06", 0.78), ("2019-06", 0.80),
                          ("2020-06", 0.90), ("2021-06", 1.0), ("2022-06", 0.93), ("2023-06", 0.793),
                          ("2024-06", 0.730), ("2025-06", 0.728)))
APPLICATIONS_PER_STAFF = 46_000 / 1_500_000   # 2021 June applicants per NHS head (domain.md §1.8, §2)
# Staff survey, by survey year: response rate 46% (2022), 48% (2023), ~50% (2024); engagement ≈6.8
# (2022), ≈6.9 (2023), slightly lower in 2024 (domain.md §1.5).
RESPONSE_RATE_PATH = Path((("2016-10", 0.0), ("2021-10", -0.01), ("2022-10", 0.0), ("2023-10", 0.02),
                           ("2024-10", 0.04)))
ENGAGEMENT_PATH = Path((("2021-10", 0.0), ("2022-10", 0.0), ("2023-10", 0.1), ("2024-10", 0.05)))
FLEXIBLE_SATISFIED_PATH = Path((("2021-10", 0.0), ("2023-10", 0.02), ("2024-10", 0.025)))
RESPONSE_RATE = (0.41, 0.49)      # per organisation before the national path (brief: 40–55%)
FLEXIBLE_SATISFIED = (0.48, 0.60)  # share of respondents (brief: 45–65%)
ELIGIBLE_SHARE = (0.95, 0.99)     # of headcount (bank-only and very new staff are not surveyed)

# Apprenticeship levy (domain.md §1.6): 0.5% of the pay bill less a £15k annual allowance, a 10%
# top-up, funds expire after 24 months (oldest first).
LEVY_RATE, LEVY_ALLOWANCE, LEVY_TOP_UP, LEVY_EXPIRY_MONTHS = 0.005, 15_000, 1.10, 24
LEVY_UTILISATION = (0.45, 0.68)   # drawn down + transferred, share of funds in 2021 (§2: 40–90%)
LEVY_UTILISATION_GROWTH = 0.02   # a year (assumption: use has improved since the 21% of the early years)
LEVY_TRANSFER_SHARE = (0.0, 0.05)
LEVY_MAX_UTILISATION = 0.86
APPRENTICESHIP_START_PCT = (1.5, 3.0)   # starts a year, % of headcount (§1.6: 2.3% public-sector target)

# Seasonality.
JOINER_SEASON = {9: 2.2, 10: 1.3}       # newly qualified staff start in the autumn (§2: joiners peak each September)
ROTATION_SEASON = {8: 4.0, 2: 1.4}      # resident doctors rotate in August (and February)
LEAVER_SEASON = {3: 1.15, 8: 1.1, 9: 1.1, 12: 0.85}  # year-end retirements, end of courses, quiet December
APPRENTICESHIP_SEASON = {9: 2.5, 10: 1.4, 1: 1.4}
SICKNESS_WINTER_AMPLITUDE = (0.6, 1.0)  # points, winter peak over summer trough (§2), for an average group
