"""What the user is looking at: ICS, organisations, organisation type, staff group, month.

The same Selection drives the screen, the CLI and exports. It round-trips through URL query
parameters so a link in a board paper reopens the exact view; values that do not exist are
dropped with a note, never an exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ..base.config import Config
from ..base.formatting import parse_month

ALL_ENGLAND = "ENG"
MAX_PARAM_LENGTH = 200
MAX_LINK_LENGTH = 8000   # characters in all a link's filters: a real view needs a few hundred at most
NAMED_UNKNOWN = 3        # unknown values a note names before it counts the rest


@dataclass(frozen=True)
class Selection:
    ics: str | None = None             # the area: an ICS, an NHS England region, or None / ALL_ENGLAND: England
    orgs: tuple[str, ...] = ()         # a subset of the ICS; empty = all of them
    org_type: str | None = None
    staff_group: str | None = None     # None = all staff groups
    period: dt.date | None = None      # reporting month; None = the latest with data

    @property
    def is_england(self) -> bool:
        return self.ics in (None, ALL_ENGLAND)


def membership_date(config: Config, ics_code: str, period: dt.date) -> dt.date:
    """The month at which an ICS's membership is read for listing choices: the month, clamped to
    the ICS's life, so the organisation filter of a footprint abolished in April 2026 still lists
    the organisations it had. Never for figures: those count each month's own members
    (workforce.protect.scope, effective-dated)."""
    ics = config.ics_by_code[ics_code]
    if ics.valid_to and period > ics.valid_to:
        return ics.valid_to.replace(day=1)
    if ics.valid_from and period < ics.valid_from:
        return ics.valid_from
    return period


def scope_orgs(config: Config, selection: Selection, as_at: dt.date, allowed: list[str] | None = None) -> list[str]:
    """The organisation codes a selection covers, as the user may see them, for choosing (filter
    lists, the register, data quality). Figures are computed from workforce.protect.scope.Scope instead.

    `allowed` (a user's organisation scope) applies to any selection narrower than a whole ICS
    or England: such a user sees whole-ICS totals, but no organisation or subset outside scope."""
    if config.area_kind(selection.ics) == "ics":
        codes = config.ics_members(selection.ics, membership_date(config, selection.ics, as_at))
    else:
        codes = config.area_members(selection.ics, as_at)
    if selection.orgs:
        codes = [c for c in codes if c in selection.orgs]
    if selection.org_type:
        codes = [c for c in codes if config.org_by_code[c].type == selection.org_type]
    if allowed is not None and (selection.orgs or selection.org_type):
        codes = [c for c in codes if c in allowed]
    return codes


def current_footprint(config: Config, ics_code: str, as_at: dt.date) -> str:
    """The ICS that now covers an ICS's organisations: itself while it exists; after a boundary change,
    the successor that took most of its organisations (a plan outlives the footprint it was written for)."""
    ics = config.ics_by_code.get(ics_code)
    if ics is None or ics.valid_to is None or as_at <= ics.valid_to:
        return ics_code
    members = set(config.ics_members(ics_code, ics.valid_to.replace(day=1)))
    taken = {i.code: len(members & set(config.ics_members(i.code, as_at))) for i in config.icss_at(as_at)}
    best = max(taken, key=taken.get, default=None)
    return best if best and taken[best] else ics_code


def home_area(config: Config, orgs: tuple[str, ...]) -> str:
    """The ICS the organisations are in now (their latest membership), or England when they are in
    different ICSs or none."""
    latest = {config.org_by_code[c].membership[-1][0] if config.org_by_code[c].membership else None for c in orgs}
    return latest.pop() if len(latest) == 1 and None not in latest else ALL_ENGLAND


def default_kpi(config: Config):
    """The KPI a page opens on: the first monthly KPI (a full SPC chart), else the first KPI."""
    return next((k for k in config.kpis if k.window == "month"), config.kpis[0])


def selection_label(config: Config, selection: Selection) -> str:
    """'Hertfordshire and West Essex — 2 organisations, Nurses & health visitors'."""
    place = config.area_name(selection.ics)
    parts = [place]
    if selection.orgs:
        names = [config.org_by_code[c].name for c in selection.orgs if c in config.org_by_code]
        parts.append(names[0] if len(names) == 1 else f"{len(names)} organisations")
    if selection.org_type:
        parts.append(f"{selection.org_type} organisations")
    if selection.staff_group:
        parts.append(selection.staff_group)
    return " — ".join(parts)


# ---------------------------------------------------------------- URL query parameters
def _values(params: Mapping[str, object], key: str) -> list[str]:
    raw = params.get(key)
    if raw is None:
        return []
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    return [str(v) for v in items if str(v).strip()]


def from_query_params(params: Mapping[str, object], config: Config,
                      default_ics: str | None = None) -> tuple[Selection, list[str]]:
    """A Selection from URL parameters, and a note for what was dropped (one per kind of value, however
    many there were; a link longer than any real view needs is ignored whole, with one note)."""
    ics = default_ics or config.plan.ics
    length = sum(len(key) + sum(len(v) for v in _values(params, key)) for key in params)
    if length > MAX_LINK_LENGTH:
        return Selection(ics), [f"The link is too long ({length:,} characters in its filters; a view needs at most "
                                f"{MAX_LINK_LENGTH:,}), so its filters were ignored."]
    unknown: dict[str, list[str]] = {}

    def known(key: str, value: str, valid: set[str] | list[str], what: str) -> bool:
        if len(value) > MAX_PARAM_LENGTH or value not in valid:
            unknown.setdefault(what, []).append(value if len(value) <= 40 else value[:40] + "…")
            return False
        return True

    for value in _values(params, "ics")[:1]:
        if known("ics", value, set(config.ics_by_code) | set(config.region_by_code) | {ALL_ENGLAND}, "ICS"):
            ics = value
    for value in _values(params, "region")[:1]:
        if known("region", value, set(config.region_by_code), "region"):
            ics = value
    orgs = tuple(dict.fromkeys(v for item in _values(params, "org") for v in item.split(",")
                               if known("org", v, set(config.org_by_code), "organisation")))
    if orgs and not _values(params, "ics") and not _values(params, "region"):
        ics = home_area(config, orgs)  # a link naming organisations but no area: theirs
    org_type = next((v for v in _values(params, "type")[:1]
                     if known("type", v, {o.type for o in config.organisations}, "organisation type")), None)
    staff_group = next((v for v in _values(params, "staff_group")[:1]
                        if known("staff_group", v, config.staff_group_names, "staff group")), None)
    notes = [_unknown_note(what, values) for what, values in unknown.items()]
    period = None
    for value in _values(params, "period")[:1]:
        try:
            period = parse_month(value[:MAX_PARAM_LENGTH])
        except ValueError:
            notes.append(f"The link's month '{value[:40]}' is not a month (YYYY-MM), so the latest month is shown.")
    return Selection(ics, orgs, org_type, staff_group, period), notes


def _unknown_note(what: str, values: list[str]) -> str:
    """'The link's organisation 'X1' is not recognised…' — or, for many, the first few and a count."""
    values = list(dict.fromkeys(values))
    if len(values) == 1:
        return f"The link's {what} '{values[0]}' is not recognised, so it was ignored."
    named = ", ".join(f"'{v}'" for v in values[:NAMED_UNKNOWN])
    rest = f" and {len(values) - NAMED_UNKNOWN:,} more" if len(values) > NAMED_UNKNOWN else ""
    return f"The link's {what} values {named}{rest} are not recognised, so they were ignored."


def to_query_params(selection: Selection) -> dict[str, str]:
    params: dict[str, str] = {}
    if selection.ics:
        params["ics"] = selection.ics  # an ICS, a region or ENG (from_query_params also reads region=)
    if selection.orgs:
        params["org"] = ",".join(selection.orgs)
    if selection.org_type:
        params["type"] = selection.org_type
    if selection.staff_group:
        params["staff_group"] = selection.staff_group
    if selection.period:
        params["period"] = selection.period.strftime("%Y-%m")
    return params
