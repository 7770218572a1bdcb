"""Whole-organisation measures (staff group "All staff groups"): finance, levy, survey, applications.

Each function returns {measure: (organisation × month) array}; NaN marks "no row" (a month
without a survey, an organisation that pays no levy).
"""

from __future__ import annotations

import numpy as np

from . import reference as ref
from .population import Organisations, Series
from .signals import FLEXIBLE_WORKING, LEVY_POOLING
from .staff import ar1
from .timeline import Timeline


def per_organisation(values: np.ndarray, series: Series, n_orgs: int) -> np.ndarray:
    """Sum a (series × month) array to (organisation × month)."""
    totals = np.zeros((n_orgs, values.shape[1]))
    np.add.at(totals, series.org, values)
    return totals


def finance(orgs: Organisations, fte: np.ndarray, timeline: Timeline,
            rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Pay bill (£ a month) from FTE and a cost per FTE rising each April; agency as a share of it."""
    uplift = (1 + ref.PAY_UPLIFT) ** (timeline.financial_year - timeline.financial_year[0])
    annual_cost = orgs.cost_per_fte[:, None] * uplift[None, :]
    pay_bill = np.round(fte * annual_cost / 12 * np.exp(ar1(rng, fte.shape, 0.01, 0.3)), 0)
    agency_share = (orgs.agency_share[:, None] * timeline.path(ref.AGENCY_PATH)[None, :]
                    * np.exp(ar1(rng, fte.shape, 0.12, 0.6)))
    return {"pay_bill": pay_bill, "agency_spend": np.round(pay_bill * np.clip(agency_share, 0, 0.2), 0)}


def _pooled(orgs: Organisations, timeline: Timeline) -> np.ndarray:
    """0 → 1 ramp for the organisations in the pooling ICS (0 elsewhere and before it)."""
    members = np.array([ics == LEVY_POOLING.ics for ics in orgs.first_ics])
    ramp = np.clip((timeline.months_since(LEVY_POOLING.start) + 1) / LEVY_POOLING.ramp_months, 0, 1)
    return members[:, None] * ramp[None, :]


def levy(orgs: Organisations, pay_bill: np.ndarray, agency: np.ndarray, timeline: Timeline,
         rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Levy funds in, drawn down, transferred out and expired, with funds spent oldest first."""
    payroll = pay_bill - agency      # agency invoices are not payroll
    funds = np.maximum(ref.LEVY_RATE * payroll - ref.LEVY_ALLOWANCE / 12, 0) * ref.LEVY_TOP_UP
    n = len(orgs)
    base_use = (rng.uniform(*ref.LEVY_UTILISATION, n)[:, None]
                + ref.LEVY_UTILISATION_GROWTH * timeline.years_elapsed[None, :])
    base_transfer = rng.uniform(*ref.LEVY_TRANSFER_SHARE, n)[:, None]
    pooled = _pooled(orgs, timeline)
    transfer_share = base_transfer + pooled * (rng.uniform(*LEVY_POOLING.transfer_share, n)[:, None] - base_transfer)
    draw_share = np.minimum(base_use - base_transfer + pooled * LEVY_POOLING.drawdown_uplift,
                            ref.LEVY_MAX_UTILISATION - transfer_share)
    # Drawdowns are lumpy (courses start and are paid in instalments); transfers less so.
    wanted_draw = funds * draw_share * np.exp(ar1(rng, funds.shape, 0.15, 0.2))
    wanted_transfer = funds * transfer_share * np.exp(ar1(rng, funds.shape, 0.15, 0.2))
    drawn, transferred, expired = _spend_oldest_first(funds, wanted_draw, wanted_transfer, base_use[:, 0])
    measures = {"levy_funds_available": funds, "levy_drawn_down": drawn,
                "levy_transferred_out": transferred, "levy_expired": expired}
    return {k: np.where(orgs.nhs[:, None], np.round(v, 2), np.nan) for k, v in measures.items()}


def _spend_oldest_first(funds: np.ndarray, wanted_draw: np.ndarray, wanted_transfer: np.ndarray,
                        starting_use: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run each account month by month: spending takes the oldest funds; funds 24 months old expire.

    The account starts in the steady state of the build's first month (the levy began in 2017),
    so expiry is realistic from the first month rather than zero for two years.
    """
    # tranches[:, a] = unspent funds that entered the account a months ago. In the steady state
    # every tranche is whole except the oldest, from which this month's spending was taken.
    tranches = np.repeat(funds[:, [0]], ref.LEVY_EXPIRY_MONTHS, axis=1)
    tranches[:, -1] *= np.clip(1 - starting_use, 0, 1)
    drawn, transferred, expired = (np.zeros_like(funds) for _ in range(3))
    for m in range(funds.shape[1]):
        expired[:, m] = tranches[:, -1]
        tranches = np.concatenate([funds[:, [m]], tranches[:, :-1]], axis=1)
        balance = tranches.sum(axis=1)
        wanted = wanted_draw[:, m] + wanted_transfer[:, m]
        spent = np.minimum(wanted, balance)
        scale = np.divide(spent, wanted, out=np.zeros_like(spent), where=wanted > 0)
        drawn[:, m], transferred[:, m] = wanted_draw[:, m] * scale, wanted_transfer[:, m] * scale
        # Take `spent` from the oldest tranches first (the last columns).
        older_first = tranches[:, ::-1]
        before = np.cumsum(older_first, axis=1) - older_first
        taken = np.clip(spent[:, None] - before, 0, older_first)
        tranches = (older_first - taken)[:, ::-1]
    return drawn, transferred, expired


def survey_months(timeline: Timeline) -> list[int]:
    """Positions of the October survey months whose results are published (each March) by the end."""
    years = range(int(timeline.year[0]), int(timeline.year[-1]) + 1)
    return [timeline.at(f"{y}-10") for y in years
            if timeline.at(f"{y}-10") is not None and timeline.index[-1] >= y * 12 + 12 + 2]


def staff_survey(orgs: Organisations, headcount: np.ndarray, timeline: Timeline,
                 rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The NHS Staff Survey each October: eligible staff, respondents, engagement and flexible working."""
    months = survey_months(timeline)
    n, shape = len(orgs), headcount.shape
    out = {k: np.full(shape, np.nan) for k in
           ("survey_eligible", "survey_respondents", "survey_engagement_sum", "survey_flexible_satisfied")}
    if not months:
        return out
    at = np.array(months)
    base_rate = rng.uniform(*ref.RESPONSE_RATE, n)[:, None]
    base_score = np.array([ref.ORG_TYPES[t].engagement for t in orgs.types])[:, None] + rng.normal(0, 0.12, (n, 1))
    base_flexible = rng.uniform(*ref.FLEXIBLE_SATISFIED, n)[:, None]
    flexible_programme = (orgs.where([FLEXIBLE_WORKING.org])[:, None]
                          & (timeline.months_since(FLEXIBLE_WORKING.start)[at] >= 0)[None, :])

    eligible = np.round(headcount[:, at] * rng.uniform(*ref.ELIGIBLE_SHARE, (n, len(at))))
    rate = base_rate + timeline.path(ref.RESPONSE_RATE_PATH)[at][None, :] + rng.normal(0, 0.015, (n, len(at)))
    respondents = rng.binomial(eligible.astype(np.int64), np.clip(rate, 0.38, 0.58))
    score = base_score + timeline.path(ref.ENGAGEMENT_PATH)[at][None, :] + rng.normal(0, 0.05, (n, len(at)))
    flexible = (base_flexible + timeline.path(ref.FLEXIBLE_SATISFIED_PATH)[at][None, :]
                + flexible_programme * FLEXIBLE_WORKING.satisfaction_uplift + rng.normal(0, 0.015, (n, len(at))))
    values = {"survey_eligible": eligible, "survey_respondents": respondents,
              "survey_engagement_sum": np.round(respondents * np.clip(score, 6.3, 7.6), 2),
              "survey_flexible_satisfied": rng.binomial(respondents, np.clip(flexible, 0.3, 0.85))}
    for key, value in values.items():
        out[key][:, at] = np.where(orgs.nhs[:, None], value, np.nan)
    return out


def applications(orgs: Organisations, headcount: np.ndarray, timeline: Timeline,
                 rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Applications to partner HEIs' clinical courses each June, on each ICS's ICB, sized by its NHS workforce."""
    out = np.full(headcount.shape, np.nan)
    months = [timeline.at(f"{y}-06") for y in range(int(timeline.year[0]), int(timeline.year[-1]) + 1)]
    at = np.array([m for m in months if m is not None], dtype=int)
    icbs = [i for i, t in enumerate(orgs.types) if t == "ICB"]
    if not len(at) or not icbs:
        return {"applications_clinical_education": out}
    national = timeline.path(ref.APPLICATIONS_PATH)[at]
    for i in icbs:
        in_ics = np.array([ics == orgs.first_ics[i] for ics in orgs.first_ics]) & orgs.nhs
        base = ref.APPLICATIONS_PER_STAFF * headcount[in_ics, 0].sum() * rng.uniform(0.8, 1.2)
        out[i, at] = np.round(base * national * np.exp(rng.normal(0, 0.03, len(at))))
    return {"applications_clinical_education": out}


def organisation_measures(orgs: Organisations, series: Series, staff: dict[str, np.ndarray],
                          timeline: Timeline, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Every whole-organisation measure, as (organisation × month) arrays (NaN = no row)."""
    headcount = per_organisation(staff["headcount"], series, len(orgs))
    money = finance(orgs, per_organisation(staff["fte"], series, len(orgs)), timeline, rng)
    return {**money,
            **levy(orgs, money["pay_bill"], money["agency_spend"], timeline, rng),
            **staff_survey(orgs, headcount, timeline, rng),
            **applications(orgs, headcount, timeline, rng)}
