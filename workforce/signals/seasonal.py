"""Month-of-year effects, so winter and summer are not read as special causes.

A seasonal KPI (config `seasonal: true`, e.g. sickness) is charted against *seasonal limits*: the
centre line and limits move with the calendar month by that month's effect, which is the same as
running the Making Data Count rules on the seasonally adjusted series (value − its month's effect).
The effects come from a classical additive decomposition fitted by least squares (Hyndman &
Athanasopoulos 2021, §3.4; STL, Cleveland et al. 1990, is the robust refinement of the same idea):

    x_t = level of the period t is in + slope × t + s_month(t) + e_t,   with s_1 + … + s_12 = 0

fitted on the first `SEASONAL_POINTS` (36) months after the series starts — the same months
whatever month is the latest, so the adjustment is held like the limits, never re-estimated as each
month arrives. One level per recalculation period (a registered change point) and a straight-line
slope keep a real step or drift out of the month effects. At least 24 months (two of each calendar
month) are needed; with fewer the KPI has no seasonal limits and says so.
"""

from __future__ import annotations

import numpy as np

SEASONAL_POINTS = 36   # months the effects are estimated on (held thereafter)
MIN_SEASONAL_POINTS = 24
HARMONICS = 2          # sine/cosine pairs: a smooth yearly shape from 4 numbers, not 11


def month_effects(values, months_of_year, period_ids=None, *, points: int = SEASONAL_POINTS,
                  min_points: int = MIN_SEASONAL_POINTS, harmonics: int | None = HARMONICS) -> np.ndarray | None:
    """The 12 additive month effects (January first, summing to 0), or None when fewer than
    `min_points` values (or not every calendar month) are among the first `points` months."""
    y = np.asarray(values, dtype=float)[:points]
    month = np.asarray(months_of_year, dtype=int)[:points]
    period = np.zeros(len(y), dtype=int) if period_ids is None else np.asarray(period_ids, dtype=int)[:points]
    ok = ~np.isnan(y)
    if ok.sum() < min_points or len(set(month[ok].tolist())) < 12:
        return None
    y, month, period, t = y[ok], month[ok], period[ok], np.flatnonzero(ok).astype(float)
    levels = (period[:, None] == np.unique(period)[None, :]).astype(float)
    coding = _season_columns(month, harmonics)
    design = np.column_stack([levels, t - t.mean(), coding])
    fitted, *_ = np.linalg.lstsq(design, y, rcond=None)
    every = _season_columns(np.arange(1, 13), harmonics)
    return every @ fitted[-coding.shape[1]:]


def _season_columns(month: np.ndarray, harmonics: int | None) -> np.ndarray:
    """Month-of-year columns whose effects sum to 0 over a year: `harmonics` sine/cosine pairs, or
    (None) one effect per month in deviation coding (December's is minus the others')."""
    if harmonics:
        angle = 2 * np.pi * (month - 1) / 12
        return np.column_stack([f(k * angle) for k in range(1, harmonics + 1) for f in (np.cos, np.sin)])
    coding = np.zeros((len(month), 11))
    for m in range(1, 12):
        coding[:, m - 1] = (month == m).astype(float) - (month == 12)
    return coding


def effect_of(effects: np.ndarray, months_of_year) -> np.ndarray:
    """Each point's month effect."""
    return effects[np.asarray(months_of_year, dtype=int) - 1]
