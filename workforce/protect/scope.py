"""What a view covers and what the person looking may see: one object, built once per view.

A `Scope` holds the reporting month and, month by month, the organisations a selection counts
(effective-dated membership: an ICS counts the organisations that belonged to it in that month;
a footprint formed at a boundary change counts, for months before it began, the organisations that
are its members at its start — its history "as constituted", said in `Scope.history`). For a user limited to some organisations it also holds
what they may not see: organisations outside their scope are removed from the selection, and an
aggregate is shown only in months where it cannot reveal another single organisation
(`workforce.protect.access.refused_aggregates`: k organisations besides their own, no two reachable
totals differing by fewer than k). Whatever is refused is said, with the reason.

Every figure — screen, chart data, downloads, packs, the CLI — is computed from a Scope through
workforce.protect.figures, so a filter, a URL or a footprint change cannot reach round it. A page
resolves its Scope once and hands it to everything it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from .access import ALL_ENGLAND, membership_months, refused_aggregates
from ..base.config import Config
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

    @property
    def total(self) -> str | None:
        """The total the view shows (an ICS, or England), or None for the user's own organisations or
        a subset of them (organisations or a type chosen)."""
        if self.selection.orgs or self.selection.org_type:
            return None
        return ALL_ENGLAND if self.selection.is_england else self.selection.ics

    @property
    def beyond_own(self) -> bool:
        """A scoped user's view counts organisations besides their own (a total others add to)."""
        return self.scoped and any(not set(s.orgs) <= set(self.allowed) for s in self.spans)

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


def _own_of_type(config: Config, selection: Selection, allowed: tuple[str, ...] | None,
                 notes: list[str]) -> tuple[Selection, list[str]]:
    """A scoped user's organisation-type subset (an ICS's acute trusts) counts only their own organisations
    of that type: the selection names them, so every label says whose figure it is, not the type's total."""
    if allowed is None or not selection.org_type or selection.orgs:
        return selection, notes
    everyone = {c for month in membership_months(config) for c in members_at(config, selection, month, None)}
    own = tuple(sorted(everyone & set(allowed)))
    if not own or set(own) == everyone:
        return selection, notes
    names = ", ".join(config.org_by_code[c].name for c in own)
    note = (f"Of {config.area_name(selection.ics)}'s {selection.org_type} organisations you may see only your own "
            f"({names}): the figure for all of them is not shown to you.")
    return replace(selection, orgs=own, org_type=None), [*notes, note]


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
    selection, notes = _own_of_type(config, selection, allowed, notes)
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
