"""A view's figure broken down for one month — by organisation, by staff group, by equality group — as
the user may see it: every cell already suppressed, rounded and published.

Each row is a cell: group, period, numerator, denominator, value, suppressed, suppression_reason (and
for equality groups the relative likelihood against the reference group). A staff-group or equality
cell is added up exactly as the figure itself is (the KPI's organisation types, organisations complete
for the window), so it is the figure that choosing it as a filter would show, under the same rules:
small counts hidden, secondary suppression so no hidden cell is the total minus the others, and for a
user limited to some organisations the cells too few others feed and the cells the differencing check
refuses (workforce.protect.differencing, run on that cell across every total). Hidden cells leave with
no numbers; counts of people are rounded and rates worked out from them (workforce.protect.precision).
An organisation's row is that organisation's own figure as its own view shows it to this user.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from . import disclosure, precision
from .cells import thin_groups
from .differencing import figures_refused
from .figures import organisation_series
from .scope import Scope
from ..base.config import Config, Kpi
from ..base.db import Database
from ..measures.figure import chosen_types
from ..measures.kpi import cell_frame
from ..signals import likelihood

BME = "BME (all minority ethnic groups)"
ORGANISATION, STAFF_GROUP = "organisation", "staff group"
ROW_COLUMNS = ["group", "period", "numerator", "denominator", "value", "suppressed", "suppression_reason"]


def breakdown(db: Database, config: Config, kpi: Kpi, scope: Scope, month: dt.date, by: str) -> pd.DataFrame:
    """The view's figure for `month` by ORGANISATION, STAFF_GROUP or an equality breakdown's id."""
    if by == ORGANISATION:
        return by_organisation(db, config, kpi, scope, month)
    if by == STAFF_GROUP:
        return by_staff_group(db, config, kpi, scope, month)
    return by_equality_group(db, config, kpi, scope, month, by)


def by_organisation(db: Database, config: Config, kpi: Kpi, scope: Scope, month: dt.date) -> pd.DataFrame:
    """Each of the user's own organisations in the view: its latest figure at or before the month."""
    frame = organisation_series(db, config, [kpi], scope, end=month)
    frame = frame[frame["period"] <= month].sort_values("period").groupby("grp").tail(1)
    return frame.rename(columns={"grp": "group"}).assign(suppressed=False, suppression_reason="") \
        .reindex(columns=ROW_COLUMNS).reset_index(drop=True)


def _cells(db: Database, config: Config, kpi: Kpi, scope: Scope, month: dt.date, **options) -> pd.DataFrame:
    """Each cell's latest figure at or before the month, over the organisations the view counts then."""
    span = scope.span_at(month)
    if span is None:
        return pd.DataFrame(columns=ROW_COLUMNS)
    start = (pd.Timestamp(month) - pd.DateOffset(months=12)).date()
    frame = cell_frame(db, config, [kpi], list(span.orgs), all_types=chosen_types(scope.selection), start=start,
                       end=month, **options)
    frame = frame[frame["period"] <= month].sort_values("period").groupby("grp").tail(1)
    return frame.rename(columns={"grp": "group"}).drop(columns=["kpi"]).reset_index(drop=True)


def _refused_cells(db: Database, config: Config, kpi: Kpi, scope: Scope, frame: pd.DataFrame,
                   cell_of) -> dict[str, str]:
    """{group: reason} for the cells the differencing check refuses this user (their total's cell,
    across every total they can see)."""
    if not scope.beyond_own or not scope.total:
        return {}
    out = {}
    for group, period in zip(frame["group"], frame["period"]):
        reason = figures_refused(db, config, scope.allowed, cell_of(group)).get((scope.total, kpi.id, period))
        if reason:
            out[group] = "taken with other figures you can see, it would reveal too few organisations"
    return out


def by_staff_group(db: Database, config: Config, kpi: Kpi, scope: Scope, month: dt.date) -> pd.DataFrame:
    frame = _cells(db, config, kpi, scope, month, by="staff_group")
    if frame.empty:
        return frame.reindex(columns=ROW_COLUMNS)
    withheld = thin_groups(db, config, kpi, scope, month, group_by="staff_group", groups=list(frame["group"]))
    withheld |= _refused_cells(db, config, kpi, scope, frame, lambda group: (group, "", ""))
    return published(_suppressed(frame, config, kpi, None, withheld), config, kpi)


def by_equality_group(db: Database, config: Config, kpi: Kpi, scope: Scope, month: dt.date,
                      breakdown_id: str) -> pd.DataFrame:
    """The KPI for each value of an equality breakdown, with the relative likelihood against the
    reference group (e.g. the BME leaver rate ÷ the White leaver rate)."""
    breakdown = next(b for b in config.breakdowns if b.id == breakdown_id)
    staff_group = scope.selection.staff_group
    frame = _cells(db, config, kpi, scope, month, by="breakdown_value", breakdown=breakdown_id,
                   staff_group=staff_group)
    if frame.empty:
        return frame.reindex(columns=ROW_COLUMNS)
    order = {v: i for i, v in enumerate(breakdown.values)}
    frame = frame.sort_values("group", key=lambda s: s.map(order)).reset_index(drop=True)
    frame = pd.concat([frame, _combined_minority_row(frame, breakdown, kpi)], ignore_index=True)
    withheld = thin_groups(db, config, kpi, scope, month, staff_group=staff_group, breakdown=breakdown_id,
                           group_by="breakdown_value", groups=list(breakdown.values))
    withheld |= _refused_cells(db, config, kpi, scope, frame[frame["group"] != BME],
                               lambda group: (staff_group, breakdown_id, group))
    minorities = [g for g in frame["group"] if g not in (breakdown.reference, "Not stated", BME)]
    if withheld and minorities and all(g in withheld for g in minorities):  # BME adds those groups up
        withheld[BME] = withheld[minorities[0]]
    shown = published(_suppressed(frame, config, kpi, _relations(frame, breakdown), withheld), config, kpi)
    return _with_relative_likelihood(shown, config, kpi, breakdown)


def _combined_minority_row(frame: pd.DataFrame, breakdown, kpi: Kpi) -> pd.DataFrame:
    """For ethnicity, the BME group: every group except the reference and 'Not stated' (sums, not averages)."""
    if breakdown.id != "ethnicity":
        return frame.iloc[0:0]
    members = frame[~frame["group"].isin([breakdown.reference, "Not stated"])]
    if members.empty:
        return frame.iloc[0:0]
    numerator, denominator = members["numerator"].sum(), members["denominator"].sum()
    value = precision.ratio(kpi, numerator, denominator)
    return pd.DataFrame([{"group": BME, "period": members["period"].max(), "numerator": numerator,
                          "denominator": denominator, "value": float(value)}])


def _relations(frame: pd.DataFrame, breakdown) -> list[list[str]] | None:
    """Groups that add up to a figure shown: all the values (the total); for ethnicity also the
    reference, BME and Not stated (the total again) and BME with its members."""
    if breakdown.id != "ethnicity" or BME not in set(frame["group"]):
        return None
    members = [v for v in breakdown.values if v not in (breakdown.reference, "Not stated")]
    return [list(breakdown.values), [breakdown.reference, BME, "Not stated"], [BME, *members]]


def _suppressed(frame: pd.DataFrame, config: Config, kpi: Kpi, relations, withheld: dict[str, str]) -> pd.DataFrame:
    return disclosure.apply(frame, kpi, config.disclosure, counts_are_people=disclosure.counts_people(
        config, kpi.numerator), relations=relations, withheld=withheld)


def published(frame: pd.DataFrame, config: Config, kpi: Kpi) -> pd.DataFrame:
    """Hidden cells with no numbers; the rest rounded and published (workforce.protect.precision)."""
    out = precision.as_published(frame, kpi, config)
    for column in ("numerator", "denominator", "value", "spc_numerator", "spc_denominator", "spc_value"):
        if column in out.columns:
            out.loc[out["suppressed"], column] = np.nan
    hidden = ("orgs_reporting", "orgs_expected", "spc_numerator", "spc_denominator")  # the engine's working
    return out.reindex(columns=[c for c in out.columns if c not in hidden])


def _with_relative_likelihood(frame: pd.DataFrame, config: Config, kpi: Kpi, breakdown) -> pd.DataFrame:
    """Each shown group's rate ÷ the reference group's, from the counts as shown, with a 95% interval
    (Katz) for counts of people and the sentence saying which way it goes (workforce.signals.likelihood)."""
    frame = frame.assign(relative_likelihood=np.nan, rl_lower95=np.nan, rl_upper95=np.nan, rl_text="")
    reference = frame[(frame["group"] == breakdown.reference) & ~frame["suppressed"]]
    if reference.empty or not reference["value"].iloc[0]:
        return frame
    ref = reference.iloc[0]
    frame.loc[reference.index, "relative_likelihood"] = 1.0
    people = kpi.denominator is not None and all(disclosure.counts_people(config, p)
                                                 for p in (kpi.numerator, kpi.denominator))
    for i, row in frame.iterrows():
        if row["suppressed"] or row["group"] == breakdown.reference or pd.isna(row["value"]):
            continue
        ratio = float(precision.ratio(kpi, row["numerator"], row["denominator"])) / float(
            precision.ratio(kpi, ref["numerator"], ref["denominator"]))
        interval = likelihood.katz_interval(row["numerator"], row["denominator"], ref["numerator"],
                                            ref["denominator"]) if people else None
        places = precision.LIKELIHOOD_DECIMALS
        frame.loc[i, "relative_likelihood"] = round(ratio, places)
        if interval:
            frame.loc[i, ["rl_lower95", "rl_upper95"]] = round(interval[1], places), round(interval[2], places)
        frame.loc[i, "rl_text"] = likelihood.sentence(
            row["group"], breakdown.reference, breakdown.id, ratio, interval[1:] if interval else None,
            kpi.numerator.measures[0], kpi.label,
            "" if interval else ("no interval: not counts of people" if not people else "no interval: no events"))
    return frame
