"""The precision policy: where counts are rounded, rates are published from the rounded counts, at
the precision they are shown with.

A protected figure (a user limited to some organisations, a staff group chosen, any cell of a
breakdown) leaves the server with its counts of people rounded to the nearest 5 and every rate worked
out again from the counts as shown, then rounded to the KPI's display precision: the rate then says
nothing the counts beside it do not. (A full-precision rate beside 20/310 gave the exact pair 22/312
back; even a rate at display precision beside rounded counts pins a small count down.) Money, FTE and
days are never rounded; a protected figure still carries its rate at display precision only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .disclosure import counts_people
from ..base.config import Config, Kpi

DECIMALS = {"percent1": 1, "percent2": 2, "score2": 2, "number1": 1, "gbp": 0, "count": 0}
LIKELIHOOD_DECIMALS = 2      # relative likelihoods and their limits: '1.90 (1.52–2.37)'
PARTS = {"numerator": "numerator", "denominator": "denominator",
         "spc_numerator": "numerator", "spc_denominator": "denominator"}


def decimals(kpi: Kpi) -> int:
    return DECIMALS.get(kpi.format, 2)


def published(values, kpi: Kpi):
    """A rate (or several) at the KPI's display precision (+ 0.0: never '-0.0')."""
    return np.round(values, decimals(kpi)) + 0.0


def rounded(values, config: Config):
    step = config.disclosure.round_to
    return (np.asarray(values, dtype=float) / step).round() * step + 0.0


def ratio(kpi: Kpi, numerator, denominator, monthly: bool = False):
    """numerator ÷ denominator × scale (× 12 for an annualised monthly value); NaN without a denominator > 0."""
    factor = kpi.scale * (12 if monthly and kpi.annualised else 1)
    numerator = np.asarray(numerator, dtype=float)
    if kpi.denominator is None:
        return numerator * factor
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return numerator / np.where(denominator > 0, denominator, np.nan) * factor


def as_published(frame: pd.DataFrame, kpi: Kpi, config: Config) -> pd.DataFrame:
    """The frame as a protected figure leaves the server: counts of people rounded, `value` (and
    `spc_value`) worked out from the counts shown and rounded to display precision."""
    if frame.empty or not config.disclosure.enabled:
        return frame
    out = frame.copy()
    for column, part in PARTS.items():
        if column in out.columns and counts_people(config, getattr(kpi, part)):
            out[column] = rounded(out[column], config)
    if {"numerator", "value"} <= set(out.columns):
        denominator = out["denominator"] if "denominator" in out.columns else np.nan
        out["value"] = published(ratio(kpi, out["numerator"], denominator), kpi)
    if "spc_value" in out.columns:
        shown = out["spc_value"].notna()
        if monthly_value(kpi) and "spc_numerator" in out.columns:  # the month's own value, from its counts
            denominator = out["spc_denominator"] if "spc_denominator" in out.columns else np.nan
            out["spc_value"] = published(ratio(kpi, out["spc_numerator"], denominator, monthly=True), kpi)
        elif "value" in out.columns:
            out["spc_value"] = out["value"]  # SPC runs on the headline figure itself
        out["spc_value"] = out["spc_value"].where(shown)
    return out


def monthly_value(kpi: Kpi) -> bool:
    """The KPI's SPC runs on each month's own value (a 12-month or year-to-date KPI)."""
    return kpi.spc_basis == "monthly" and kpi.window in ("rolling_12m", "fytd")
