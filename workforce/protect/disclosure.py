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

from ..base.config import Component, Config, Disclosure, Kpi

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


def primary(frame: pd.DataFrame, kpi: Kpi, rules: Disclosure, counts_are_people: bool) -> tuple[pd.Series, pd.Series]:
    """Cells hidden on their own (small count or small denominator), and why."""
    small_numerator = frame["numerator"].map(lambda v: counts_are_people and hide_count(v, rules)).astype(bool)
    small_denominator = frame["denominator"].map(lambda v: kpi.denominator is not None
                                                 and denominator_too_small(kpi, v, rules)).astype(bool)
    reason = pd.Series("", index=frame.index, dtype=object)
    reason[small_denominator] = "denominator too small"
    reason[small_numerator] = "fewer than " + str(rules.hide_counts_up_to + 1) + " people"
    return small_numerator | small_denominator, reason


SECONDARY = "hidden so a suppressed group cannot be worked out from the total"


def apply(frame: pd.DataFrame, kpi: Kpi, rules: Disclosure, counts_are_people: bool = True,
          relations: list[list[str]] | None = None, withheld: dict[str, str] | None = None) -> pd.DataFrame:
    """Add `suppressed` (bool) and `suppression_reason` to a breakdown of one KPI.

    The frame has group, numerator, denominator and value per row (one group: e.g. the ethnicity
    values). `relations` lists the groups that add up to a figure the user can see (the total, or
    a combined row such as BME, which is itself in the relation): none may have exactly one hidden
    cell, whatever the breakdown's size, or that cell is the shown figure minus the others. By
    default the whole breakdown adds up to the total. `withheld` ({group: reason}) hides groups for
    a reason of the caller's (too few organisations besides the user's own add to them).
    """
    out = frame.copy()
    if not rules.enabled or out.empty:
        out["suppressed"] = False
        out["suppression_reason"] = ""
        return out
    suppressed, reason = primary(out, kpi, rules, counts_are_people)
    groups = out["group"] if "group" in out.columns else pd.Series(out.index, index=out.index)
    for group, why in (withheld or {}).items():
        rows = groups == group
        reason[rows & ~suppressed] = why
        suppressed |= rows
    rows_of = [out.index[groups.isin(r)] for r in relations] if relations else [out.index]
    changed = True
    while changed:  # hiding one cell can leave another relation with a lone hidden cell
        changed = False
        for rows in rows_of:
            if suppressed[rows].sum() != 1:
                continue
            candidates = out.loc[rows][~suppressed[rows]]["numerator"].dropna()
            if candidates.empty:
                candidates = out.loc[rows][~suppressed[rows]]["denominator"].dropna()
            if candidates.empty:
                continue
            second = candidates.idxmin()
            suppressed[second] = True
            reason[second] = SECONDARY
            changed = True
    out["suppressed"] = suppressed
    out["suppression_reason"] = reason.where(suppressed, "")
    return out


def hidden_cells(frame: pd.DataFrame, kpi: Kpi, rules: Disclosure, counts_are_people: bool,
                 withheld: pd.Series | None = None) -> pd.Series:
    """For a breakdown over many months (columns period, grp, numerator, denominator): which cells
    the breakdown hides in each month, primary (and `withheld`, the caller's) and secondary (one
    relation: the month's total)."""
    if not rules.enabled or frame.empty:
        return pd.Series(False, index=frame.index)
    hidden, _ = primary(frame, kpi, rules, counts_are_people)
    if withheld is not None:
        hidden = hidden | withheld.to_numpy()
    lone = hidden.groupby(frame["period"]).transform("sum") == 1
    shown = frame["numerator"].where(~hidden & lone)
    smallest = shown.groupby(frame["period"]).transform("min")
    first = shown.eq(smallest) & shown.notna()
    first &= ~first.groupby(frame["period"]).cumsum().gt(1)  # one cell per month on ties
    return hidden | first


def counts_people(config: Config, part: Component | None) -> bool:
    """True when a numerator or denominator counts people (so it is rounded and small counts hidden)."""
    return part is not None and config.measure_by_id[part.measures[0]].unit == "people"


def protect_series(frame: pd.DataFrame, kpi: Kpi, config: Config) -> pd.DataFrame:
    """A headline series as a protected view may show it: months whose figure a breakdown would hide are
    dropped, and a monthly SPC value whose month's own counts are small is blanked. (Counts are then
    rounded and rates published from them: workforce.protect.precision.)"""
    rules = config.disclosure
    if not rules.enabled or frame.empty:
        return frame
    hidden, _ = primary(frame, kpi, rules, counts_people(config, kpi.numerator))
    out = frame[~hidden].copy()
    if "spc_numerator" in out.columns:  # the monthly SPC value is a figure too: its month's counts are smaller
        month = out[["spc_numerator", "spc_denominator"]].rename(
            columns={"spc_numerator": "numerator", "spc_denominator": "denominator"})
        small, _ = primary(month, kpi, rules, counts_people(config, kpi.numerator))
        out.loc[small, "spc_value"] = float("nan")
    return out
