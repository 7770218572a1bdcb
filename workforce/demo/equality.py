"""Equality breakdowns of headcount and leavers, in whole people that add up exactly.

Headcount is shared out by slowly drifting shares with largest-remainder rounding, so each
group's series is smooth. Leavers are drawn from the groups in proportion to headcount ×
relative likelihood of leaving, then moved where a group would lose more people than it has.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..base.config import Breakdown
from . import reference as ref
from .population import Organisations, Series
from .signals import ETHNICITY_LEAVER_GAP
from .timeline import Timeline


@dataclass
class BreakdownCounts:
    breakdown: str
    values: list[str]
    headcount: np.ndarray   # (series, value, month)
    leavers: np.ndarray


def apportion(totals: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Whole numbers in proportion to `shares` (rows sum to 1) that add up to `totals` exactly."""
    raw = totals[:, None] * shares
    counts = np.floor(raw).astype(np.int64)
    short = totals - counts.sum(axis=1)
    rank = np.argsort(np.argsort(-(raw - counts), axis=1, kind="stable"), axis=1)
    return counts + (rank < short[:, None])


def split_weighted(totals: np.ndarray, capacity: np.ndarray, weights: np.ndarray,
                   rng: np.random.Generator) -> np.ndarray:
    """A random multinomial split of `totals` by `weights`, no cell above its `capacity`.

    Needs totals <= capacity.sum(axis=1). Cells drawn above capacity give the excess to the
    cell with most room, repeatedly, which keeps the total exact.
    """
    counts = np.zeros(capacity.shape, dtype=np.int64)
    remaining = totals.astype(np.int64)
    weight_left = weights.sum(axis=1)
    for k in range(capacity.shape[1] - 1):
        p = np.divide(weights[:, k], weight_left, out=np.zeros_like(weight_left), where=weight_left > 0)
        counts[:, k] = rng.binomial(remaining, np.clip(p, 0, 1))
        remaining -= counts[:, k]
        weight_left = weight_left - weights[:, k]
    counts[:, -1] = remaining
    rows = np.arange(len(counts))
    while True:
        excess = np.maximum(counts - capacity, 0)
        if not excess.any():
            return counts
        counts -= excess
        roomiest = np.argmax(capacity - counts, axis=1)
        counts[rows, roomiest] += excess.sum(axis=1)


def nonwhite_share(series: Series, timeline: Timeline) -> np.ndarray:
    """Share of staff with a stated ethnicity who are not White, (series, month); slowly rising."""
    odds = series.nonwhite_odds[:, None] * (1 + ref.NONWHITE_ODDS_GROWTH) ** timeline.years_elapsed[None, :]
    return odds / (1 + odds)


def gap_ramp(timeline: Timeline) -> np.ndarray:
    """0 → 1 over the planted leaver gap's ramp, by month."""
    signal = ETHNICITY_LEAVER_GAP
    return np.clip((timeline.months_since(signal.start) + 1) / signal.ramp_months, 0, 1)


def ethnicity_gap_leaver_factor(series: Series, orgs: Organisations, timeline: Timeline) -> np.ndarray:
    """How much more the gap trust's staff leave in all, (series, month): BME staff leave more
    while White staff leave as before (in expectation)."""
    weights = ref.LEAVER_WEIGHTS["ethnicity"]
    stated = 1 - ref.ETHNICITY_NOT_STATED_SHARE
    bme = stated * nonwhite_share(series, timeline)
    bme_weight = np.mean([weights[v] for v in ref.BME_VALUES])
    before = (stated - bme) * weights["White"] + bme * bme_weight + (1 - stated) * weights["Not stated"]
    factor = 1 + bme * ETHNICITY_LEAVER_GAP.extra_weight * gap_ramp(timeline)[None, :] / before
    at_trust = orgs.where([ETHNICITY_LEAVER_GAP.org])[series.org]
    return np.where(at_trust[:, None], factor, 1.0)


def _ethnicity_shares(values: list[str], series: Series, orgs: Organisations, timeline: Timeline,
                      rng: np.random.Generator) -> np.ndarray:
    stated = 1 - ref.ETHNICITY_NOT_STATED_SHARE * rng.uniform(0.5, 1.5, (len(series), 1))
    nonwhite = stated * nonwhite_share(series, timeline)
    doctors = series.rotates
    shares = np.zeros((len(series), len(values), timeline.size))
    for k, value in enumerate(values):
        if value == "White":
            shares[:, k] = stated - nonwhite
        elif value in ref.NONWHITE_SPLIT:
            split = np.where(doctors, ref.NONWHITE_SPLIT_DOCTORS[value], ref.NONWHITE_SPLIT[value])
            shares[:, k] = nonwhite * split[:, None]
        else:   # not stated
            shares[:, k] = 1 - stated
    return shares


def _static_shares(values: list[str], by_series: np.ndarray, timeline: Timeline) -> np.ndarray:
    shares = by_series / by_series.sum(axis=1, keepdims=True)
    return np.repeat(shares[:, :, None], timeline.size, axis=2)


def _sex_shares(values, series, orgs, timeline, rng) -> np.ndarray:
    female = np.array([series.profile(i).female_share for i in range(len(series))])
    female = np.clip(female + rng.normal(0, 0.02, len(series)), 0.3, 0.995)
    by_value = {"Female": female, "Male": 1 - female}
    return _static_shares(values, np.stack([by_value[v] for v in values], axis=1), timeline)


def _age_shares(values, series, orgs, timeline, rng) -> np.ndarray:
    profile = np.array([series.profile(i).age_shares for i in range(len(series))])
    by_band = dict(zip(ref.AGE_BANDS, profile.T))
    shares = np.stack([by_band[v] for v in values], axis=1) * rng.uniform(0.85, 1.15, (len(series), len(values)))
    return _static_shares(values, shares, timeline)


def _disability_shares(values, series, orgs, timeline, rng) -> np.ndarray:
    drift = ref.DISABLED_SHARE_GROWTH * timeline.years_elapsed
    base = {v: ref.DISABILITY_SHARES[v] * rng.uniform(0.8, 1.2, (len(series), 1)) for v in values}
    moving = {"Disabled": drift, "Not declared": -drift}
    no_drift = np.zeros(timeline.size)
    shares = np.stack([base[v] + moving.get(v, no_drift)[None, :] for v in values], axis=1)
    shares = np.maximum(shares, 0.001)
    return shares / shares.sum(axis=1, keepdims=True)


SHARES = {"ethnicity": _ethnicity_shares, "sex": _sex_shares, "age_band": _age_shares, "disability": _disability_shares}


def leaver_weights(breakdown: str, values: list[str], series: Series, orgs: Organisations,
                   timeline: Timeline) -> np.ndarray:
    """Relative likelihood of leaving by value, (series, value, month); the planted BME gap included."""
    base = np.array([ref.LEAVER_WEIGHTS[breakdown][v] for v in values])
    weights = np.broadcast_to(base[None, :, None], (len(series), len(values), timeline.size)).copy()
    if breakdown == "ethnicity":
        bme = np.array([v in ref.BME_VALUES for v in values])
        at_trust = orgs.where([ETHNICITY_LEAVER_GAP.org])[series.org]
        weights[np.ix_(at_trust, bme)] += ETHNICITY_LEAVER_GAP.extra_weight * gap_ramp(timeline)
    return weights


def supported(breakdown: Breakdown) -> bool:
    """Whether the demo knows how to generate this breakdown and all of its values."""
    known = ref.LEAVER_WEIGHTS.get(breakdown.id, {})
    return breakdown.id in SHARES and all(v in known for v in breakdown.values)


def equality_breakdowns(breakdowns: list[Breakdown], series: Series, orgs: Organisations, timeline: Timeline,
                        headcount: np.ndarray, leavers: np.ndarray, rng: np.random.Generator) -> list[BreakdownCounts]:
    """Headcount and leavers by every supported breakdown in the config."""
    out = []
    n_cells = headcount.size
    for breakdown in filter(supported, breakdowns):
        values = list(breakdown.values)
        shares = SHARES[breakdown.id](values, series, orgs, timeline, rng)
        # (series, value, month) → (cell, value) with cells in (series, month) order
        flat = lambda a: a.transpose(0, 2, 1).reshape(n_cells, len(values))
        unflat = lambda a: a.reshape(len(series), timeline.size, len(values)).transpose(0, 2, 1)
        heads = apportion(headcount.reshape(-1), flat(shares))
        weights = flat(leaver_weights(breakdown.id, values, series, orgs, timeline)) * heads
        gone = split_weighted(leavers.reshape(-1), heads, weights, rng)
        out.append(BreakdownCounts(breakdown.id, values, unflat(heads), unflat(gone)))
    return out
