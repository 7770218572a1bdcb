"""The protected path: every figure that leaves the engine for a view — screen, chart data, downloads,
the pack, the CLI — comes from here, for one Scope (what the view covers and who is looking), already
scoped, suppressed and rounded.

    series(db, config, kpis, scope)                a total's (or the user's own organisations') series
    latest_values(db, config, scope)               every KPI's latest figure (summary, pack, `kpis`)
    withheld_text(db, config, kpi, scope)          why a protected view shows nothing for a KPI
    organisation_series(db, config, kpis, scope)   each of the user's own organisations' own figures
                                                   (By organisation, Compare, national peers, `compare`)

What is shown (docs/security.md says why):
- to everyone, with disclosure control on: no count of 1–7 people;
- a protected view (a user limited to some organisations, or a staff group chosen) also leaves out
  the months a breakdown would hide (a small count or denominator, secondary suppression, a group too
  few organisations feed), a total's figures the differencing check refuses for the user
  (workforce.protect.differencing) and monthly SPC points whose own month's count is small; its
  counts of people are rounded to 5 and its rates worked out from the counts as shown, at display
  precision (workforce.protect.precision).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from . import disclosure, precision
from .cells import hidden_by_each_organisations_breakdown, thin_group_months
from .differencing import figures_refused
from .scope import FAR_FUTURE, Scope, resolve
from ..base.config import Config, Kpi
from ..base.db import Database
from ..measures.figure import KpiValue, chosen_types, latest_value
from ..measures.kpi import FRAME_COLUMNS, kpi_frame
from ..measures.selection import Selection


# the monthly SPC value's own counts: the engine's working, never shown (the value is published instead)
ENGINE_ONLY = ["spc_numerator", "spc_denominator"]


def _raw_series(db: Database, config: Config, kpis: list[Kpi], scope: Scope, end: dt.date | None,
                **options) -> pd.DataFrame:
    """The series span by span (each a run of months over the same organisations, its windows over
    those organisations), with nothing withheld: for this module's checks only."""
    frames = []
    for span in scope.spans:
        last = min(span.end or FAR_FUTURE, end or FAR_FUTURE)
        if last < span.start:
            continue
        frame = kpi_frame(db, config, kpis, list(span.orgs), start=span.start, end=last, **options)
        frames.append(frame[(frame["period"] >= span.start) & (frame["period"] <= last)])
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=FRAME_COLUMNS)
    return pd.concat(frames, ignore_index=True).sort_values(["kpi", "grp", "period"], kind="stable") \
        .reset_index(drop=True)


def series(db: Database, config: Config, kpis: list[Kpi], scope: Scope, *,
           end: dt.date | None = None) -> pd.DataFrame:
    """Every KPI's monthly series for the view (kpi, grp, period, numerator, denominator, value,
    spc_value, …), each month over the organisations counted then, up to `end` (default: the
    reporting month), as this user may see it."""
    end = end or scope.month
    options = {"staff_group": scope.selection.staff_group, "all_types": chosen_types(scope.selection)}
    frame = _raw_series(db, config, kpis, scope, end, **options)
    if frame.empty:
        return frame.drop(columns=ENGINE_ONLY)
    if scope.beyond_own and scope.total:
        refused = figures_refused(db, config, scope.allowed, (scope.selection.staff_group, "", ""))
        frame = frame[[(scope.total, k, p) not in refused for k, p in zip(frame["kpi"], frame["period"])]]
    if not config.disclosure.enabled:
        return frame.drop(columns=ENGINE_ONLY)
    if not scope.protected:
        return without_small_counts(frame, config).drop(columns=ENGINE_ONLY)
    hidden = _hidden_by_staff_group_breakdown(db, config, kpis, scope, end, options)
    small_months = _small_monthly_counts(db, config, kpis, scope, end, options)
    parts = []
    for kpi in kpis:
        part = frame[(frame["kpi"] == kpi.id) & ~frame["period"].isin(hidden.get(kpi.id, set()))]
        if small_months.get(kpi.id):
            part = part.assign(spc_value=part["spc_value"].where(~part["period"].isin(small_months[kpi.id])))
        parts.append(precision.as_published(disclosure.protect_series(part, kpi, config), kpi, config))
    return pd.concat(parts, ignore_index=True).reset_index(drop=True).drop(columns=ENGINE_ONLY)


def without_small_counts(frame: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The rows whose counts of people are not 1–7 (what disclosure control never shows anyone)."""
    if frame.empty or not config.disclosure.enabled:
        return frame
    small = pd.Series(False, index=frame.index)
    for kpi_id, rows in frame.groupby("kpi").groups.items():
        kpi = config.kpi_by_id[kpi_id]
        for column, part in (("numerator", kpi.numerator), ("denominator", kpi.denominator)):
            if disclosure.counts_people(config, part):
                small[rows] |= frame.loc[rows, column].map(lambda v: disclosure.hide_count(v, config.disclosure))
    return frame[~small]


def _small_monthly_counts(db: Database, config: Config, kpis: list[Kpi], scope: Scope, end: dt.date | None,
                          options: dict) -> dict[str, set]:
    """{kpi: months} whose own month's count (the monthly SPC point of a 12-month or year-to-date KPI)
    is 1–7 people or on too small a denominator: that point is not charted or exported."""
    monthly = [k.model_copy(update={"window": "month"}) for k in kpis
               if precision.monthly_value(k) and disclosure.counts_people(config, k.numerator)]
    if not monthly:
        return {}
    frame = _raw_series(db, config, monthly, scope, end, **options)
    return {kpi.id: _small_months(frame[frame["kpi"] == kpi.id], kpi, config) for kpi in monthly}


def _small_months(frame: pd.DataFrame, kpi: Kpi, config: Config) -> set:
    """The months of a one-month series (one total, or one organisation) whose own figure is hidden."""
    part = frame.reset_index(drop=True)
    hidden, _ = disclosure.primary(part, kpi, config.disclosure, True)
    return set(part.loc[hidden, "period"])


def _hidden_by_staff_group_breakdown(db: Database, config: Config, kpis: list[Kpi], scope: Scope,
                                     end: dt.date | None, options: dict) -> dict[str, set]:
    """{kpi: months} in which the staff-group breakdown hides the chosen staff group (itself small, or
    hidden so a small one cannot be worked out): a filter must not show what the breakdown hides."""
    chosen = scope.selection.staff_group
    if not chosen:
        return {}
    groups = _raw_series(db, config, kpis, scope, end, group_by="staff_group", all_types=options["all_types"])
    groups = groups[groups["grp"] != config.all_staff_groups_label]
    out: dict[str, set] = {}
    for kpi in kpis:
        part = groups[groups["kpi"] == kpi.id].reset_index(drop=True)
        withheld = None
        if scope.beyond_own and not part.empty:  # groups too few other organisations feed, as in the breakdown
            fed = thin_group_months(db, config, kpi, scope, end or part["period"].max(), group_by="staff_group",
                                    start=part["period"].min())
            feeding = part.merge(fed, on=["grp", "period"], how="left")["orgs"].fillna(0)
            withheld = (feeding > 0) & (feeding < config.access.min_other_organisations)
        hidden = disclosure.hidden_cells(part, kpi, config.disclosure, disclosure.counts_people(config, kpi.numerator),
                                         withheld)
        out[kpi.id] = set(part.loc[hidden & (part["grp"] == chosen), "period"])
    return out


def latest_values(db: Database, config: Config, scope: Scope | Selection,
                  allowed: tuple[str, ...] | list[str] | None = None) -> tuple[dt.date | None, list[KpiValue]]:
    """The reporting month and every KPI's figure at (or, if late, before) it (for a Selection, the
    Scope is resolved here: the view's one resolution)."""
    scope = scope if isinstance(scope, Scope) else resolve(db, config, scope, allowed)
    frame = series(db, config, config.kpis, scope)
    chosen = scope.orgs if scope.selection.orgs else None
    return scope.month, [latest_value(k, frame[frame["kpi"] == k.id], chosen, scope.month) for k in config.kpis]


def withheld_text(db: Database, config: Config, kpi: Kpi, scope: Scope) -> str:
    """Why a protected view shows no figure for a KPI that has data: said, rather than 'no figures'."""
    if not scope.protected or scope.refusal or scope.month is None:
        return ""
    raw = _raw_series(db, config, [kpi], scope, scope.month, staff_group=scope.selection.staff_group)
    if raw.empty:
        return ""
    reasons = [f"small numbers (1–{config.disclosure.hide_counts_up_to} people)",
               "a group that would let a hidden one be worked out"]
    if scope.scoped:
        reasons.append(f"a total fewer than {config.access.min_other_organisations} organisations besides "
                       "yours add to")
    return (f"{kpi.label} figures for this selection are withheld to protect staff and organisations: "
            f"{', '.join(reasons[:-1])} or {reasons[-1]}.")


def organisation_series(db: Database, config: Config, kpis: list[Kpi], scope: Scope, *,
                        orgs: list[str] | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """Each organisation's own monthly figures (kpi, grp: the organisation, period, numerator,
    denominator, value, spc_value), for the view's organisations (or `orgs`, e.g. national peers) that
    the user may see one by one, up to `end` (default: the reporting month) — each as that
    organisation's own view would show it to this user."""
    codes = scope.own(list(scope.orgs if orgs is None else orgs))
    end = end or scope.month
    staff_group = scope.selection.staff_group
    frame = kpi_frame(db, config, kpis, codes, group_by="org", staff_group=staff_group, end=end)
    if frame.empty or not config.disclosure.enabled:
        return frame.drop(columns=ENGINE_ONLY)
    if not scope.protected:
        return without_small_counts(frame, config).drop(columns=ENGINE_ONLY)
    hidden = hidden_by_each_organisations_breakdown(db, config, kpis, codes, staff_group, end) if staff_group \
        else set()
    frame = frame[[key not in hidden for key in zip(frame["kpi"], frame["grp"], frame["period"])]]
    monthly = [k.model_copy(update={"window": "month"}) for k in kpis
               if precision.monthly_value(k) and disclosure.counts_people(config, k.numerator)]
    by_month = kpi_frame(db, config, monthly, codes, group_by="org", staff_group=staff_group, end=end) \
        if monthly else pd.DataFrame(columns=FRAME_COLUMNS)
    parts = []
    for (kpi_id, org), part in frame.groupby(["kpi", "grp"], sort=False):
        kpi = config.kpi_by_id[kpi_id]
        small = _small_months(by_month[(by_month["kpi"] == kpi_id) & (by_month["grp"] == org)], kpi, config)
        part = part.assign(spc_value=part["spc_value"].where(~part["period"].isin(small)))
        parts.append(precision.as_published(disclosure.protect_series(part, kpi, config), kpi, config))
    return (pd.concat(parts, ignore_index=True) if parts else frame.iloc[0:0]).drop(columns=ENGINE_ONLY)
