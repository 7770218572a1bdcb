"""Statistical disclosure control for breakdown views (NHS Digital conventions).

Counts of 1–7 are hidden and other counts rounded to the nearest 5; a rate is hidden when its
numerator is hidden or its denominator is below a threshold (FTE days available of 330 or fewer
for sickness, as NHS Digital publishes); when exactly one cell of a group would be hidden, the
next smallest is hidden too, so it cannot be recovered from the total. Rates are computed from
unrounded figures and only then hidden or shown.
"""

from __future__ import annotations

import math

import pandas as pd

from .config import Disclosure, Kpi

HIDDEN = "*"


def hide_count(value: float | None, rules: Disclosure) -> bool:
    return value is not None and not math.isnan(value) and 0 < value <= rules.hide_counts_up_to


def shown_count(value: float | None, rules: Disclosure) -> str:
    """'*' for 1–7, otherwise rounded to the nearest 5 (0 stays 0)."""
    if value is None or math.isnan(value):
        return "–"
    if hide_count(value, rules):
        return HIDDEN
    return f"{rules.round_to * round(value / rules.round_to):,.0f}"


def denominator_too_small(kpi: Kpi, denominator: float | None, rules: Disclosure) -> bool:
    if denominator is None or math.isnan(denominator):
        return True
    if kpi.denominator and "fte_days_available" in kpi.denominator.measures:
        return denominator <= rules.min_sickness_days_available
    return denominator < rules.min_denominator


def apply(frame: pd.DataFrame, kpi: Kpi, rules: Disclosure, counts_are_people: bool = True) -> pd.DataFrame:
    """Add `suppressed` (bool) and `suppression_reason` to a breakdown of one KPI.

    The frame has numerator, denominator and value per row (one group: e.g. the ethnicity values).
    """
    out = frame.copy()
    if not rules.enabled or out.empty:
        out["suppressed"] = False
        out["suppression_reason"] = ""
        return out
    small_numerator = out["numerator"].map(lambda v: counts_are_people and hide_count(v, rules))
    small_denominator = out["denominator"].map(lambda v: kpi.denominator is not None
                                               and denominator_too_small(kpi, v, rules))
    reason = pd.Series("", index=out.index)
    reason[small_denominator] = "denominator too small"
    reason[small_numerator] = "fewer than " + str(rules.hide_counts_up_to + 1) + " people"
    suppressed = small_numerator | small_denominator
    if suppressed.sum() == 1 and len(out) > 2:  # secondary: protect the lone hidden cell
        candidates = out.loc[~suppressed, "numerator"].dropna()
        if not candidates.empty:
            second = candidates.idxmin()
            suppressed[second] = True
            reason[second] = "hidden so a suppressed group cannot be worked out from the total"
    out["suppressed"] = suppressed
    out["suppression_reason"] = reason.where(suppressed, "")
    return out
