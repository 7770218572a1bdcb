"""Monthly staff-group measures: headcount, joiners and leavers as one consistent stock-flow.

headcount(m) = headcount(m-1) + joiners(m) - leavers(m), in whole people. Joiners replace the
expected leavers, follow the plan's growth and close part of any gap to it each month, with
the autumn intake (and the August doctors' rotation) on top. The other measures are drawn
from these flows so that every "at most" rule in config.yaml holds by construction.
"""

from __future__ import annotations

import numpy as np

from . import reference as ref
from .equality import ethnicity_gap_leaver_factor
from .population import Organisations, Series
from .signals import FLEXIBLE_WORKING, INTERNATIONAL_RECRUITMENT, LEVY_POOLING, SICKNESS_RISE
from .timeline import Timeline

GAP_CLOSED_PER_MONTH = 0.1   # share of the gap to the planned headcount recruited each month


def ar1(rng: np.random.Generator, shape: tuple[int, int], sd: float | np.ndarray, phi: float) -> np.ndarray:
    """Autocorrelated noise along the month axis (stationary, standard deviation `sd`)."""
    shocks = rng.standard_normal(shape) * np.sqrt(1 - phi**2)
    noise = np.empty(shape)
    noise[:, 0] = rng.standard_normal(shape[0])
    for m in range(1, shape[1]):
        noise[:, m] = phi * noise[:, m - 1] + shocks[:, m]
    return noise * (sd if np.isscalar(sd) else np.asarray(sd))


def _signal_mask(orgs: Organisations, series: Series, codes) -> np.ndarray:
    return orgs.where(codes)[series.org]


def planned_headcount(series: Series, orgs: Organisations, timeline: Timeline) -> np.ndarray:
    """The headcount each series is planned to have, growing steadily from its starting size."""
    months = np.arange(1, timeline.size + 1) / 12
    return series.headcount[:, None] * np.exp(orgs.growth[series.org][:, None] * months[None, :])


def recruitment_cohorts(orgs: Organisations, series: Series, timeline: Timeline) -> np.ndarray:
    """Extra joiners from international recruitment cohorts (zero elsewhere)."""
    extra = np.zeros((len(series), timeline.size))
    signal = INTERNATIONAL_RECRUITMENT
    if signal.org in orgs.codes:
        row = series.locate(orgs.codes.index(signal.org), signal.staff_group)
        for month, size in signal.cohorts:
            at = timeline.at(month)
            if row is not None and at is not None:
                extra[row, at] = size
    return extra


def leaver_probability(series: Series, orgs: Organisations, timeline: Timeline,
                       rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Monthly probability of leaving, and its deseasonalised level (what joiners must replace)."""
    level = series.annual_leave[:, None] / 12 * timeline.path(ref.LEAVER_PATH)[None, :]
    flexible = _signal_mask(orgs, series, [FLEXIBLE_WORKING.org])[:, None] & (
        timeline.months_since(FLEXIBLE_WORKING.start) >= 0)[None, :]
    level = level * np.where(flexible, FLEXIBLE_WORKING.leaver_factor, 1.0)
    level = level * ethnicity_gap_leaver_factor(series, orgs, timeline)
    season = np.where(series.rotates[:, None], timeline.season(ref.ROTATION_SEASON)[None, :],
                      timeline.season(ref.LEAVER_SEASON)[None, :])
    noise = np.exp(ar1(rng, level.shape, 0.05, 0.6))
    return np.clip(level * season * noise, 0, 0.5), level


def simulate_flows(series: Series, orgs: Organisations, timeline: Timeline,
                   rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Headcount, joiners and leavers month by month (vectorised over every series)."""
    shape = (len(series), timeline.size)
    plan_without_cohorts = planned_headcount(series, orgs, timeline)
    cohorts = recruitment_cohorts(orgs, series, timeline)
    plan = plan_without_cohorts + np.cumsum(cohorts, axis=1)
    leave_p, leave_level = leaver_probability(series, orgs, timeline, rng)
    join_season = np.where(series.rotates[:, None], timeline.season(ref.ROTATION_SEASON)[None, :],
                           timeline.season(ref.JOINER_SEASON)[None, :])
    growth = np.diff(plan_without_cohorts, axis=1, prepend=series.headcount[:, None])
    headcount, joiners, leavers = (np.zeros(shape, dtype=np.int64) for _ in range(3))
    previous = series.headcount.astype(np.int64)
    previous_plan = series.headcount
    for m in range(timeline.size):
        expected = (join_season[:, m] * leave_level[:, m] * plan[:, m] + growth[:, m]
                    + GAP_CLOSED_PER_MONTH * (previous_plan - previous))
        joiners[:, m] = rng.poisson(np.maximum(expected, 0)) + cohorts[:, m].astype(np.int64)
        # Leavers never exceed the headcount at the month's end (a rule the loader checks).
        drawn = rng.binomial(previous, leave_p[:, m])
        leavers[:, m] = np.minimum(drawn, (previous + joiners[:, m]) // 2)
        headcount[:, m] = previous + joiners[:, m] - leavers[:, m]
        previous, previous_plan = headcount[:, m], plan[:, m]
    return {"headcount": headcount, "joiners": joiners, "leavers": leavers,
            "cohort_joiners": cohorts.astype(np.int64), "plan": plan_without_cohorts}


def stable_headcount(flows: dict[str, np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """Of the headcount 12 months earlier, those still in post (NaN for the first 12 months).

    Leavers in the window include people who joined within it; about 60% of those with under a
    year's service did, and they were never in the starting headcount.
    """
    headcount, leavers, under_1yr = flows["headcount"], flows["leavers"], flows["leavers_under_1yr"]
    stable = np.full(headcount.shape, np.nan)
    if headcount.shape[1] <= 12:
        return stable
    window_leavers = _rolling_sum(leavers, 12)[:, 12:]
    window_short = _rolling_sum(under_1yr, 12)[:, 12:]
    joined_in_window = rng.binomial(window_short, 0.6)
    start = headcount[:, :-12]
    stable[:, 12:] = np.clip(start - (window_leavers - joined_in_window), 0, np.minimum(start, headcount[:, 12:]))
    return stable


def _rolling_sum(values: np.ndarray, window: int) -> np.ndarray:
    totals = np.cumsum(values, axis=1)
    totals[:, window:] = totals[:, window:] - totals[:, :-window]
    return totals


def derived_flows(flows: dict[str, np.ndarray], series: Series, orgs: Organisations,
                  timeline: Timeline, rng: np.random.Generator) -> None:
    """Short-service leavers, local joiners, stability and apprenticeship starts (added in place)."""
    flows["leavers_under_1yr"] = rng.binomial(flows["leavers"], series.first_year_share[:, None])
    home_grown = flows["joiners"] - flows["cohort_joiners"]   # international cohorts are not local
    flows["joiners_local_pipeline"] = rng.binomial(home_grown, series.local_share[:, None])
    flows["headcount_stable_12m"] = stable_headcount(flows, rng)
    pooled = _signal_mask(orgs, series, _levy_pool_members(orgs))[:, None] & (
        timeline.months_since(LEVY_POOLING.start) >= 0)[None, :]
    rate = (series.apprenticeship[:, None] / 12 * timeline.season(ref.APPRENTICESHIP_SEASON)[None, :]
            * np.where(pooled, 1 + LEVY_POOLING.starts_uplift, 1.0))
    flows["apprenticeship_starts"] = rng.poisson(flows["headcount"] * rate)


def _levy_pool_members(orgs: Organisations) -> list[str]:
    return [code for code, ics, nhs in zip(orgs.codes, orgs.first_ics, orgs.nhs) if ics == LEVY_POOLING.ics and nhs]


def capacity_measures(flows: dict[str, np.ndarray], series: Series, orgs: Organisations,
                      timeline: Timeline, rng: np.random.Generator) -> None:
    """FTE, sickness days and vacancies (added in place)."""
    shape = flows["headcount"].shape
    ratio = series.fte_ratio[:, None] * np.exp(ar1(rng, shape, 0.004, 0.9))
    fte = np.minimum(np.round(flows["headcount"] * ratio, 2), flows["headcount"])
    flows["fte"] = fte
    flows["fte_days_available"] = np.round(fte * timeline.days[None, :], 2)
    flows["fte_days_lost"] = np.round(flows["fte_days_available"] * sickness_rate(series, orgs, timeline, fte, rng), 2)
    # Establishment follows the plan; vacancies are what the staff in post leave unfilled.
    vacancy = series.vacancy[:, None] * timeline.path(ref.VACANCY_PATH)[None, :] * np.exp(ar1(rng, shape, 0.03, 0.8))
    establishment = flows["plan"] * series.fte_ratio[:, None] / (1 - vacancy)
    flows["vacancies_fte"] = np.round(np.maximum(establishment - fte, 0), 2)
    flows["establishment_fte"] = np.round(fte + flows["vacancies_fte"], 2)


def sickness_rate(series: Series, orgs: Organisations, timeline: Timeline, fte: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
    national = 1 + timeline.path(ref.SICKNESS_PATH) / ref.SICKNESS_REFERENCE_PCT
    rate = series.sickness[:, None] * national[None, :] + series.winter[:, None] * timeline.winter[None, :]
    since = timeline.months_since(SICKNESS_RISE.start)
    rising = _signal_mask(orgs, series, [SICKNESS_RISE.org])[:, None] & (since >= 0)[None, :]
    trend_months = np.clip(since, 0, SICKNESS_RISE.trend_months)
    rise = (1 + SICKNESS_RISE.step) * (1 + SICKNESS_RISE.monthly_trend * trend_months)
    rate = rate * np.where(rising, rise[None, :], 1.0)
    # Small teams' rates swing more from month to month.
    spread = 0.05 + 0.5 / np.sqrt(np.maximum(fte, 1))
    return np.clip(rate * np.exp(ar1(rng, fte.shape, 1.0, 0.5) * spread), 0, 0.25)


def staff_group_measures(series: Series, orgs: Organisations, timeline: Timeline,
                         rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Every monthly staff-group measure, as (series × month) arrays."""
    flows = simulate_flows(series, orgs, timeline, rng)
    derived_flows(flows, series, orgs, timeline, rng)
    capacity_measures(flows, series, orgs, timeline, rng)
    return flows
