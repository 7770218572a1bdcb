"""What a view covers and what the person looking may see: one object, built once per view.

A `Scope` holds the reporting month and, month by month, the organisations a selection counts
(effective-dated membership: an ICS counts the organisations that belonged to it in that month;
a footprint formed at a boundary change counts, for months before it began, the organisations that
are its members at its start — its history "as constituted", said in `Scope.history`). For a user limited to some organisations it also holds
what they may not see: organisations outside their scope are removed from the selection, and an
aggregate is shown only in months where it cannot reveal another single organisation
(`workforce.protect.access.refused_aggregates`: k organisations besides their own, no two reachable
totals differing by fewer than k). Whatever is refused is said, with the reason.

Every figure — screen, downloads, packs, the CLI — is computed from a Scope (`series`), so a
filter, a URL or a footprint change cannot reach round it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from . import disclosure
from .access import membership_months, refused_aggregates
from ..base.config import Config, Kpi
from ..base.db import Database
from ..base.formatting import month_label
from ..measures.selection import ALL_ENGLAND, Selection

FAR_FUTURE = dt.date(2100, 1, 1)


@dataclass(frozen=True)
class Span:
    """Months over which a selection counts the same organisations (end None: open-ended)."""
    start: dt.date
    end: dt.date | None
    orgs: tuple[str, ...]

    def covers(self, month: dt.date) -> bool:
        return self.start <= month and (self.end is None or month <= self.end)


@dataclass(frozen=True)
class Scope:
    selection: Selection                 # as the user may see it (organisations outside scope removed)
    allowed: tuple[str, ...] | None      # the user's own organisations; None: every organisation
    month: dt.date | None                # the reporting month
    spans: tuple[Span, ...]              # what is counted, month by month (refused months left out)
    refusal: str | None = None           # why nothing is shown for the reporting month
    notes: tuple[str, ...] = ()          # what was removed or refused, and why
    history: str | None = None           # months counted with a new footprint's later members, said

    @property
    def orgs(self) -> list[str]:
        """The organisations counted in the reporting month."""
        span = self.span_at(self.month) if self.month else None
        return list(span.orgs) if span else []

    def span_at(self, month: dt.date) -> Span | None:
        return next((s for s in self.spans if s.covers(month)), None)

    @property
    def scoped(self) -> bool:
        return self.allowed is not None

    @property
    def protected(self) -> bool:
        """Disclosure control on every figure: a user limited to some organisations, or a staff group
        chosen (a cell of the staff-group breakdown)."""
        return self.scoped or self.selection.staff_group is not None

    def own(self, codes: list[str]) -> list[str]:
        """Of these organisations, those whose own figures the user may see."""
        return list(codes) if self.allowed is None else [c for c in codes if c in self.allowed]


# ---------------------------------------------------------------- building one
def members_at(config: Config, selection: Selection, month: dt.date, allowed: tuple[str, ...] | None) -> list[str]:
    """The organisations a selection counts in a month (Config.counted_members: effective-dated,
    except that a new footprint's months before it began count its members at its start)."""
    codes = config.area_members(selection.ics, month)  # a new footprint's history: its members at its start
    if selection.orgs:
        codes = [c for c in codes if c in selection.orgs]
    if selection.org_type:
        codes = [c for c in codes if config.org_by_code[c].type == selection.org_type]
    if allowed is not None and (selection.orgs or selection.org_type):
        codes = [c for c in codes if c in allowed]  # a subset beyond their own is never an aggregate they may see
    return codes


def _restricted(config: Config, selection: Selection, allowed: tuple[str, ...] | None) -> tuple[Selection, list[str]]:
    if allowed is None or not selection.orgs:
        return selection, []
    kept = tuple(c for c in selection.orgs if c in allowed)
    notes = [f"You do not have access to {config.org_by_code[c].name if c in config.org_by_code else c}'s "
             "own figures, so it was removed from the selection." for c in selection.orgs if c not in kept]
    return replace(selection, orgs=kept), notes


def _refusal(config: Config, selection: Selection, codes: list[str], allowed: tuple[str, ...] | None,
             month: dt.date) -> str | None:
    """Why a scoped user may not see this selection's figure in a month, or None."""
    if allowed is None or not codes or set(codes) <= set(allowed):
        return None
    return refused_aggregates(config, allowed, month).get(selection.ics or "ENG")


def spans(config: Config, selection: Selection, allowed: tuple[str, ...] | None) -> tuple[list[Span], list[str]]:
    """The selection's organisations month by month, without the months a scoped user may not see."""
    bounds = membership_months(config)
    out: list[Span] = []
    notes: list[str] = []
    refused_since: str | None = None  # a refusal carried on from earlier months is said once
    for start, following in zip(bounds, bounds[1:] + [None]):
        codes = members_at(config, selection, start, allowed)
        last = None if following is None else (following - dt.timedelta(days=1)).replace(day=1)
        if not codes:
            continue
        reason = _refusal(config, selection, codes, allowed, start)
        if reason:
            if reason != refused_since:
                notes.append(f"{reason} This applies from {month_label(start)}.")
            refused_since = reason
            continue
        refused_since = None
        if out and out[-1].orgs == tuple(codes) and out[-1].end and _next_month(out[-1].end) == start:
            out[-1] = replace(out[-1], end=last)  # the same organisations carry on
        else:
            out.append(Span(start, last, tuple(codes)))
    return out, notes


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def resolve(db: Database, config: Config, selection: Selection,
            allowed: list[str] | tuple[str, ...] | None = None) -> Scope:
    """The Scope of a view: built once from the selection and the user's organisations."""
    allowed = None if allowed is None else tuple(allowed)
    selection, notes = _restricted(config, selection, allowed)
    counted, refused = spans(config, selection, allowed)
    notes += refused
    month = selection.period or _latest_month(db, config, counted)
    refusal = None if counted or not refused else refused[-1]
    if month is not None and not any(s.covers(month) for s in counted):
        refusal = _why_nothing(config, selection, allowed, month)
    return Scope(selection, allowed, month, tuple(counted), refusal, tuple(notes),
                 history_note(config, selection, counted))


def history_note(config: Config, selection: Selection, counted: list[Span]) -> str | None:
    """'Before Apr 2026: figures for today's member organisations …' when some counted month of a
    new footprint comes before it began (Config.back_cast_from), else None."""
    start = config.back_cast_from(selection.ics or ALL_ENGLAND)
    if start is None or not any(s.start < start for s in counted):
        return None
    name = config.ics_by_code[selection.ics].name
    return f"Before {month_label(start)}: figures for today's member organisations ({name} began in {month_label(start)})."


def _latest_month(db: Database, config: Config, counted: list[Span]) -> dt.date | None:
    """The default reporting month (workforce.measures.kpi.reporting_month) of the latest span with data,
    never after the span ends."""
    from ..measures.kpi import reporting_month

    for span in reversed(counted):
        latest = reporting_month(db, list(span.orgs), None, config)
        if latest is None:
            continue
        latest = min(latest, span.end or FAR_FUTURE)
        if latest >= span.start:
            return latest
    return None


def _why_nothing(config: Config, selection: Selection, allowed, month: dt.date) -> str:
    codes = members_at(config, selection, month, allowed)
    reason = _refusal(config, selection, codes, allowed, month) if codes else None
    if reason:
        return reason
    if config.area_kind(selection.ics) == "ics":
        ics = config.ics_by_code[selection.ics]
        if ics.valid_to and month > ics.valid_to:
            return f"{ics.name} ended in {month_label(ics.valid_to.replace(day=1))}, so it has no figures for {month_label(month)}."
        if ics.valid_from and month < ics.valid_from and config.back_cast_from(ics.code) is None:
            return f"{ics.name} began in {month_label(ics.valid_from)}, so it has no figures for {month_label(month)}."
    return f"No organisation you may see is in this selection in {month_label(month)}."


# ---------------------------------------------------------------- figures through a scope
def _raw_series(db: Database, config: Config, kpis: list[Kpi], scope: Scope, end: dt.date | None,
                **options) -> pd.DataFrame:
    from ..measures.kpi import kpi_frame

    frames = []
    for span in scope.spans:
        last = min(span.end or FAR_FUTURE, end or FAR_FUTURE)
        if last < span.start:
            continue
        frame = kpi_frame(db, config, kpis, list(span.orgs), start=span.start, end=last, **options)
        frames.append(frame[(frame["period"] >= span.start) & (frame["period"] <= last)])
    frames = [f for f in frames if not f.empty]
    if not frames:
        return kpi_frame(db, config, kpis, [], **options)
    return pd.concat(frames, ignore_index=True).sort_values(["kpi", "grp", "period"], kind="stable") \
        .reset_index(drop=True)


def series(db: Database, config: Config, kpis: list[Kpi], scope: Scope, *, end: dt.date | None = None,
           **options) -> pd.DataFrame:
    """Every KPI's monthly series for a scope: each month computed over the organisations counted in
    that month (one query per span of constant membership), up to `end` (default: the reporting
    month). For a protected scope the series is as it may leave the server (disclosure control)."""
    if options.get("group_by", "none") == "none":
        options.setdefault("staff_group", scope.selection.staff_group)
    frame = _raw_series(db, config, kpis, scope, end or scope.month, **options)
    if not scope.protected or options.get("group_by", "none") != "none" or frame.empty:
        return frame
    hidden = _hidden_by_staff_group_breakdown(db, config, kpis, scope, end or scope.month, options)
    frame = _without_too_few_contributing(db, config, kpis, scope, end or scope.month, options, frame)
    small_months = _small_monthly_counts(db, config, kpis, scope, end or scope.month, options)
    parts = []
    for kpi in kpis:
        part = frame[frame["kpi"] == kpi.id]
        part = part[~part["period"].isin(hidden.get(kpi.id, set()))]
        if "spc_value" in part.columns and small_months.get(kpi.id):
            part = part.assign(spc_value=part["spc_value"].where(~part["period"].isin(small_months[kpi.id])))
        parts.append(disclosure.protect_series(part, kpi, config))
    return pd.concat(parts, ignore_index=True) if parts else frame


def _small_monthly_counts(db: Database, config: Config, kpis: list[Kpi], scope: Scope, end: dt.date | None,
                          options: dict) -> dict[str, set]:
    """{kpi: months} whose own month's count (the monthly SPC point of a 12-month or year-to-date KPI)
    is 1–7 people or on too small a denominator: that point is not charted or exported, as the month's
    rate times its rounded denominator would give the small count back."""
    monthly = [k for k in kpis if k.window in ("rolling_12m", "fytd") and k.spc_basis == "monthly"
               and disclosure.counts_people(config, k.numerator)]
    if not monthly or not config.disclosure.enabled:
        return {}
    as_month = [k.model_copy(update={"window": "month"}) for k in monthly]
    frame = _raw_series(db, config, as_month, scope, end, **options)
    out = {}
    for kpi in as_month:
        part = frame[frame["kpi"] == kpi.id].reset_index(drop=True)
        hidden = disclosure.hidden_cells(part.assign(period=range(len(part))), kpi, config.disclosure, True)
        out[kpi.id] = set(part.loc[hidden, "period"])
    return out


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


def _without_too_few_contributing(db: Database, config: Config, kpis: list[Kpi], scope: Scope,
                                  end: dt.date | None, options: dict, frame: pd.DataFrame) -> pd.DataFrame:
    """For a scoped user, drop months in which fewer than k organisations besides their own add
    something (a non-zero numerator or denominator) to a KPI's total: a KPI only the ICB reports,
    or money only one other trust spent, would otherwise be that organisation's own figure."""
    if not scope.scoped or all(set(s.orgs) <= set(scope.allowed) for s in scope.spans):
        return frame
    rest = {k: v for k, v in options.items() if k not in ("group_by", "all_types")}
    per_org = _raw_series(db, config, kpis, scope, end, group_by="org", **rest)
    adds = per_org["numerator"].fillna(0).ne(0) | per_org["denominator"].fillna(0).ne(0)
    counts = per_org[~per_org["grp"].isin(scope.allowed) & adds].groupby(["kpi", "period"]).size()
    k = config.access.min_other_organisations
    too_few = {key for key, n in counts.items() if 0 < n < k}  # none: the total is their own figure
    if scope.selection.is_england and not scope.selection.org_type:
        too_few |= _england_remainders(config, kpis, scope, per_org.assign(adds=adds))
    return frame[[key not in too_few for key in zip(frame["kpi"], frame["period"])]]


def _england_remainders(config: Config, kpis: list[Kpi], scope: Scope, per_org: pd.DataFrame) -> set:
    """{(kpi, month)} where England minus every ICS total the user is shown (for that KPI and month)
    and minus their own organisations leaves 1 to k-1 organisations that add to the KPI, or a count
    of 1-7 people: England is the one total that holds the others, so it is withheld there."""
    k = config.access.min_other_organisations
    periods = sorted(per_org["period"].unique())
    ics_of = {}  # (org, month) -> the ICS total it is counted in, when the user is shown that ICS
    for period in periods:
        refused = refused_aggregates(config, scope.allowed, period)
        for ics in config.icss:
            if ics.code not in refused:
                for org in config.counted_members(ics.code, period):
                    ics_of[(org, period)] = ics.code
    frame = per_org.assign(ics=[ics_of.get(key, "") for key in zip(per_org["grp"], per_org["period"])],
                           own=per_org["grp"].isin(scope.allowed))
    people = {kpi.id: disclosure.counts_people(config, kpi.numerator) for kpi in kpis}
    others = frame[~frame["own"] & frame["adds"]]
    by_ics = others[others["ics"] != ""].groupby(["kpi", "period", "ics"]).agg(
        n=("grp", "size"), numerator=("numerator", "sum"))
    by_ics_all = frame[frame["ics"] != ""].groupby(["kpi", "period", "ics"])["numerator"].sum()
    shown = set()  # (kpi, month, ics) the user is shown, by the same rules as that ICS's own view
    for (kpi_id, period, ics), row in by_ics.iterrows():
        total = by_ics_all.get((kpi_id, period, ics), 0)
        small = people[kpi_id] and 0 < total <= config.disclosure.hide_counts_up_to
        if row["n"] >= k and not small:
            shown.add((kpi_id, period, ics))
    covered = [(kpi_id, period, ics) in shown for kpi_id, period, ics in zip(others["kpi"], others["period"],
                                                                           others["ics"])]
    rest = others[[not c for c in covered]].groupby(["kpi", "period"]).agg(n=("grp", "size"),
                                                                           numerator=("numerator", "sum"))
    return {key for key, row in rest.iterrows()
            if 0 < row["n"] < k or (people[key[0]] and 0 < row["numerator"] <= config.disclosure.hide_counts_up_to)}


def _hidden_by_staff_group_breakdown(db: Database, config: Config, kpis: list[Kpi], scope: Scope,
                                     end: dt.date | None, options: dict) -> dict[str, set]:
    """{kpi: months} in which the staff-group breakdown hides the chosen staff group (itself small, or
    hidden so a small one cannot be worked out): a filter must not show what the breakdown hides."""
    chosen = options.get("staff_group") or scope.selection.staff_group
    if not chosen:
        return {}
    rest = {k: v for k, v in options.items() if k not in ("staff_group", "group_by", "all_types")}
    groups = _raw_series(db, config, kpis, scope, end, group_by="staff_group", **rest)
    groups = groups[groups["grp"] != config.all_staff_groups_label]
    thin_for_scoped = scope.scoped and not set(scope.orgs) <= set(scope.allowed)
    out: dict[str, set] = {}
    for kpi in kpis:
        part = groups[groups["kpi"] == kpi.id].reset_index(drop=True)
        withheld = None
        if thin_for_scoped and not part.empty:  # groups too few other organisations feed, as in the breakdown
            fed = thin_group_months(db, config, kpi, scope, end or part["period"].max(), group_by="staff_group",
                                    start=part["period"].min())
            feeding = part.merge(fed, on=["grp", "period"], how="left")["orgs"].fillna(0)
            withheld = (feeding > 0) & (feeding < config.access.min_other_organisations)
        hidden = disclosure.hidden_cells(part, kpi, config.disclosure, disclosure.counts_people(config, kpi.numerator),
                                         withheld)
        out[kpi.id] = set(part.loc[hidden & (part["grp"] == chosen), "period"])
    return out


def latest_values(db: Database, config: Config, selection: Selection | Scope,
                  allowed: list[str] | None = None):
    """The reporting month and every KPI's figure at (or, if late, before) it, for a scope."""
    from ..measures.kpi import chosen_types, latest_value

    scope = selection if isinstance(selection, Scope) else resolve(db, config, selection, allowed)
    chosen = scope.selection
    frame = series(db, config, config.kpis, scope, staff_group=chosen.staff_group, all_types=chosen_types(chosen))
    values = [latest_value(k, frame[frame["kpi"] == k.id], scope.orgs if chosen.orgs else None, scope.month)
              for k in config.kpis]
    return scope.month, values


def thin_group_months(db: Database, config: Config, kpi: Kpi, scope: Scope, end: dt.date, *, group_by: str,
                      breakdown: str = "", staff_group: str | None = None,
                      start: dt.date | None = None) -> pd.DataFrame:
    """grp, period, orgs: how many organisations besides a scoped user's own feed each group of a
    breakdown (a non-zero numerator or denominator measure over the KPI's window ending that month),
    month by month."""
    first = start or dt.date(2000, 1, 1)
    rows = db.query("protect/group_contributors", {
        "orgs": [o for o in scope.orgs if o not in scope.allowed], "measures": kpi.measure_ids,
        "group_by": group_by, "breakdown": breakdown, "staff_groups": [staff_group] if staff_group else [],
        "all_staff_groups": config.all_staff_groups_label,
        "start": (pd.Timestamp(first) - pd.DateOffset(months=11)).date(), "end": end})
    if rows.empty:
        return pd.DataFrame(columns=["grp", "period", "orgs"])
    rows["period"] = pd.PeriodIndex(pd.to_datetime(rows["period"]), freq="M")
    fed = rows.assign(fed=1.0).pivot_table(index="period", columns=["grp", "org_code"], values="fed", fill_value=0)
    fed = fed.reindex(pd.period_range(fed.index.min(), pd.Period(end, "M"), freq="M"), fill_value=0)
    # months a figure covers; a year to date varies, so only its own month counts (never more contributors)
    window = {"month": 1, "fytd": 1}.get(kpi.window, 12)
    within = fed.rolling(window, min_periods=1).max()
    counts = within.T.groupby(level="grp").sum().T.stack().rename("orgs").reset_index()
    counts.columns = ["period", "grp", "orgs"]
    counts["period"] = [p.to_timestamp().date() for p in counts["period"]]
    return counts[counts["period"] >= first][["grp", "period", "orgs"]]


def thin_groups(db: Database, config: Config, kpi: Kpi, scope: Scope, month: dt.date, *, group_by: str,
                breakdown: str = "", staff_group: str | None = None, groups: list[str] = ()) -> dict[str, str]:
    """{group: reason} for a breakdown of a scoped user's total in a month: the groups (staff groups,
    equality groups) to which fewer than k organisations besides their own add something over the
    KPI's window. Midwives in a total with two acute trusts, one of them theirs, would otherwise be
    the other trust's figure."""
    if not scope.scoped or set(scope.orgs) <= set(scope.allowed):
        return {}
    counts = thin_group_months(db, config, kpi, scope, month, group_by=group_by, breakdown=breakdown,
                               staff_group=staff_group, start=month)
    feeding = dict(zip(counts["grp"], counts["orgs"]))
    k = config.access.min_other_organisations
    reason = f"fewer than {k} organisations besides yours add to it"
    return {group: reason for group in set(groups) | set(feeding) if 0 < feeding.get(group, 0) < k}
