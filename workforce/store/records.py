"""Commentary and interventions: what people write about the KPIs, kept apart from the loaded data.

The store is a SQLite file (``database.store_path`` in config.yaml, WORKFORCE_STORE overrides it in
the app) or, for a cluster of replicas, PostgreSQL (``store.url``, WORKFORCE_STORE_URL; see
workforce/base/store_backend.py and docs/deploy.md). Not DuckDB, because the app writes it while CLI
commands (the board pack) read it from other processes. Every change is written in one transaction
with an audit row (who, when, what, the whole record before and after); every save of a commentary
also writes a new version of it (history kept: `commentary_versions`).

Scope of commentary (the rule for every selection):
- exactly one organisation selected → that organisation ('org:RWH');
- otherwise the selection's ICS ('ics:QM7'), or 'ENG' for all ICSs — several organisations, an
  organisation type or a staff group within an ICS all share the ICS's commentary (it is about
  the KPI for the whole footprint; a staff-group view shows it labelled as the ICS's).

Interventions and events apply to an ICS (or 'ENG': everywhere) or to a list of its organisations,
and to every KPI or a list of them. They are drawn on every chart whose organisations they touch;
one marked as a *change point* also recalculates the SPC limits from the first month on or after
its date, but only on charts it covers entirely (all the chart's organisations), so one trust's
programme never rebases the whole ICS's chart.

Text is stored as typed (control characters removed) and is always shown as plain text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterable, Mapping

from ..base.store_backend import StoreError, StoreUnavailable, lock_key, open_backend, store_target  # noqa: F401
from ..measures.selection import ALL_ENGLAND, Selection

STATUSES = ("open", "in_progress", "closed")
STATUS_LABELS = {"open": "Open", "in_progress": "In progress", "closed": "Closed"}
MAX_TEXT = 4000      # characters in a commentary field or an intervention's description
MAX_SHORT = 120      # an intervention's label, an owner's name, a user name
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


UNCHECKED = object()  # save_commentary without `opened`: the writer did not open the entry (the CLI, a script)


class CommentaryConflict(StoreError):
    """The commentary changed after the writer opened it: their save is refused. `current` is the entry as
    it now stands (None: it was removed), to be shown beside what they wrote."""

    def __init__(self, current: "Commentary | None"):
        self.current = current
        who = f" by {current.updated_by} at {current.updated_at[11:16]}" if current else ""
        super().__init__(f"This commentary was changed{who} after you opened it, so your text was not saved. "
                         "Both are shown below: copy what you need into the form and save again.")


class InterventionConflict(StoreError):
    """The intervention changed, or was removed, after the editor opened it: their change is refused.
    `current` is the intervention as it now stands (None: removed)."""

    def __init__(self, current: "Intervention | None"):
        self.current = current
        what = f"changed by {current.updated_by} at {current.updated_at[11:16]}" if current else "removed"
        super().__init__(f"This intervention was {what} after you opened it, so your change was not saved. "
                         "It now reads as shown in the register: make your change again if it is still needed.")


def same_entry(opened: "Commentary | None", current: "Commentary | None") -> bool:
    """The entry is as the writer opened it (compared by what it says and its last change, not only a
    timestamp to the second)."""
    if opened is None or current is None:
        return opened is current
    fields_ = ("id", "what_happened", "why", "actions", "owner", "due_date", "status", "closed_month",
               "updated_at", "updated_by")
    return all(getattr(opened, f) == getattr(current, f) for f in fields_)


# ---------------------------------------------------------------- records
@dataclass(frozen=True)
class Commentary:
    id: int
    kpi: str
    scope: str
    month: dt.date
    what_happened: str
    why: str
    actions: str
    owner: str
    due_date: dt.date | None
    status: str
    closed_month: dt.date | None
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def overdue(self, today: dt.date | None = None) -> bool:
        return self.status != "closed" and self.due_date is not None and self.due_date < (today or dt.date.today())

    def status_text(self, today: dt.date | None = None) -> str:
        """'Open', 'In progress — overdue', 'Closed (Jan 2025)'."""
        if self.status == "closed":
            return f"Closed ({self.closed_month:%b %Y})" if self.closed_month else "Closed"
        return self.status_label + (" — overdue" if self.overdue(today) else "")

    def meta(self, today: dt.date | None = None) -> list[tuple[str, str]]:
        """Owner, due date, status and last change as (label, text) pairs, for screen and pack."""
        parts = [("Owner", self.owner)] if self.owner else []
        if self.due_date:
            parts.append(("Due", f"{self.due_date.day} {self.due_date:%b %Y}"))
        parts.append(("Status", self.status_text(today)))
        parts.append(("Updated", f"{self.updated_at[:16].replace('T', ' ')} by {self.updated_by}"))
        return parts


@dataclass(frozen=True)
class CommentaryView:
    """The commentary shown for a KPI, scope and month: this month's, and earlier months'
    actions carried forward until closed (newest first)."""
    month: dt.date | None
    current: Commentary | None = None
    carried: tuple[Commentary, ...] = ()

    def __bool__(self) -> bool:
        return self.current is not None or bool(self.carried)

    @property
    def marker(self) -> str:
        """'current', 'carried' or '' (for the summary's marker column)."""
        return "current" if self.current else "carried" if self.carried else ""


@dataclass(frozen=True)
class Intervention:
    id: int
    date: dt.date
    ics: str
    orgs: tuple[str, ...]
    kpis: tuple[str, ...]
    label: str
    description: str
    change_point: bool
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str

    def applies_to(self, kpi: str) -> bool:
        return not self.kpis or kpi in self.kpis

    def _covers_org(self, org: str, ics_of: Mapping[str, set[str]]) -> bool:
        if self.orgs:
            return org in self.orgs
        return self.ics == ALL_ENGLAND or self.ics in ics_of.get(org, set())

    def touches(self, orgs: Iterable[str], ics_of: Mapping[str, set[str]]) -> bool:
        return any(self._covers_org(o, ics_of) for o in orgs)

    def covers(self, orgs: Iterable[str], ics_of: Mapping[str, set[str]]) -> bool:
        orgs = list(orgs)
        return bool(orgs) and all(self._covers_org(o, ics_of) for o in orgs)

    @property
    def change_month(self) -> dt.date:
        """The first month on or after the date: SPC limits are recalculated from it."""
        return first_month_on_or_after(self.date)

    def scope_text(self, names: Mapping[str, str] | None = None) -> str:
        names = names or {}
        where = ", ".join(names.get(o, o) for o in self.orgs) if self.orgs else (
            "All organisations" if self.ics == ALL_ENGLAND else f"All of {names.get(self.ics, self.ics)}")
        return where


def first_month_on_or_after(day: dt.date) -> dt.date:
    if day.day == 1:
        return day
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


# ---------------------------------------------------------------- scope rules
def commentary_scope(selection: Selection) -> str:
    """The key commentary is stored under for a selection (see the module docstring):
    'org:RWH', 'ics:QM7' or 'ENG'. (An ICB is both an ICS and an organisation, often with the
    same code, hence the prefixes.)"""
    if len(selection.orgs) == 1:
        return f"org:{selection.orgs[0]}"
    if selection.is_england:
        return ALL_ENGLAND
    return f"ics:{selection.ics}"


def scope_label(config, scope: str) -> str:
    """'England', an area's name (an ICS or a region), or an organisation's name."""
    kind, _, code = scope.partition(":")
    if kind == "org":
        return config.org_by_code[code].name if code in config.org_by_code else code
    if kind == "ics":
        return config.area_name(code) if config.area_kind(code) else code
    return "England" if scope == ALL_ENGLAND else scope


def ics_of(config) -> dict[str, set[str]]:
    """Every ICS each organisation has belonged to (membership over the whole series)."""
    out: dict[str, set[str]] = {}
    for org, ics, _start, _end in config.membership_rows():
        out.setdefault(org, set()).add(ics)
    return out


# ---------------------------------------------------------------- the store
def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def clean_text(value: object, limit: int, what: str) -> str:
    text = "" if value is None else str(value)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > limit:
        raise StoreError(f"{what} is {len(text):,} characters long; the most is {limit:,}.")
    return text


def _month_text(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def _parse_month(text: str | None) -> dt.date | None:
    return None if not text else dt.date.fromisoformat(text[:7] + "-01")


def _parse_date(text: str | None) -> dt.date | None:
    return None if not text else dt.date.fromisoformat(text)


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c for c in text.split(",") if c)


class Store:
    """The app-owned store: SQLite (a path) or PostgreSQL (a postgresql:// URL); see
    workforce.store.backend. Cheap to create: connections are opened per call (SQLite) or pooled
    per process (PostgreSQL)."""

    def __init__(self, target: str | Path):
        self.backend = open_backend(target)

    @property
    def path(self) -> Path | None:
        """The SQLite file (None for PostgreSQL)."""
        return getattr(self.backend, "path", None)

    @classmethod
    def for_config(cls, config) -> "Store":
        """The configured store: WORKFORCE_STORE_URL, else store.url in config.yaml, else the SQLite file
        (WORKFORCE_STORE, else database.store_path)."""
        return cls(store_target(config))

    def _rows(self, name: str, params: Mapping | None = None) -> list[dict]:
        return self.backend.rows(name, params)

    def _write(self, who: str, change) -> int:
        """Run `change(connection, at, who)` — which writes and returns the audit facts (action, entity,
        id, old) — and its audit row in one transaction; return the entity id."""
        who = clean_text(who, MAX_SHORT, "The name of the person making the change")
        if not who:
            raise StoreError("Say who is making the change (your name).")
        at = _now()
        with self.backend.transaction() as con:
            action, entity, entity_id, old = change(con, at, who)
            new = con.one(f"{entity}_get", {"id": entity_id})
            if entity == "commentary":
                con.execute("commentary_version_add", {"id": entity_id})
            con.execute("audit_insert", {
                "at": at, "who": who, "action": action, "entity": entity, "entity_id": entity_id,
                "old": json.dumps(old) if old else None, "new": None if action == "delete" else json.dumps(new)})
        return entity_id

    def _change(self, who: str, action: str, entity: str, statement: str, params: dict,
                entity_id: int | None = None, check=None) -> int:
        """One change to one record (looked up by id when given), with its audit row. `check(old)` may
        refuse it, seeing the record as it stands inside the transaction (writers of one record queue)."""
        def change(con, at, who):
            old = None
            if entity_id is not None:
                if self.backend.dialect == "postgresql":  # SQLite: BEGIN IMMEDIATE
                    con.execute("record_lock", {"key": lock_key(f"{entity}|{entity_id}")})
                old = con.one(f"{entity}_get", {"id": entity_id})
                if check is not None:
                    check(old)
                if old is None:
                    raise StoreError(f"There is no {entity} number {entity_id}.")
            cursor = con.execute(statement, {**params, "at": at, "who": who})
            if entity_id is None:
                return action, entity, cursor.fetchone()["id"], old  # the statement returns the new id
            if cursor.rowcount == 0:
                raise StoreError(f"The {entity} number {entity_id} can no longer be changed.")
            return action, entity, entity_id, old
        return self._write(who, change)

    def version(self) -> int:
        rows = self._rows("version")
        return int(rows[0]["version"]) if rows else 0

    def audit(self, limit: int = 200) -> list[dict]:
        return self._rows("audit_list", {"limit": limit})

    # ---- commentary
    @staticmethod
    def _commentary(row: Mapping) -> Commentary:
        values = dict(row)
        values["month"] = _parse_month(values["month"])
        values["closed_month"] = _parse_month(values["closed_month"])
        values["due_date"] = _parse_date(values["due_date"])
        return Commentary(**{f.name: values[f.name] for f in fields(Commentary)})

    def _commentary_params(self, month: dt.date, what_happened: str, why: str, actions: str, owner: str,
                           due_date: dt.date | None, status: str, closed_month: dt.date | None) -> dict:
        if status not in STATUSES:
            raise StoreError(f"Status must be one of {', '.join(STATUS_LABELS.values())}.")
        params = {
            "what_happened": clean_text(what_happened, MAX_TEXT, "What happened"),
            "why": clean_text(why, MAX_TEXT, "Why"),
            "actions": clean_text(actions, MAX_TEXT, "Actions"),
            "owner": clean_text(owner, MAX_SHORT, "Owner"),
            "due_date": due_date.isoformat() if due_date else None,
            "status": status,
            "closed_month": None if status != "closed" else _month_text(closed_month or month),
        }
        if not (params["what_happened"] or params["why"] or params["actions"]):
            raise StoreError("Write at least one of what happened, why, or the actions.")
        return params

    def save_commentary(self, kpi: str, scope: str, month: dt.date, *, who: str, what_happened: str = "",
                        why: str = "", actions: str = "", owner: str = "", due_date: dt.date | None = None,
                        status: str = "open", opened: "Commentary | None | object" = UNCHECKED) -> Commentary:
        """Write a new version of the commentary for a KPI, scope and month (history kept). `opened`: the
        entry as the writer saw it when they began (None: there was none); if it has changed since, the
        save is refused with CommentaryConflict, which carries the entry as it now stands, so nobody's
        text is replaced unseen (the check runs inside the write's transaction)."""
        fields_ = {"what_happened": what_happened, "why": why, "actions": actions, "owner": owner,
                   "due_date": due_date, "status": status}

        def fields_for(current: "Commentary | None") -> dict:
            if opened is not UNCHECKED and not same_entry(opened, current):
                raise CommentaryConflict(current)
            return fields_
        return self._save(kpi, scope, month, who, fields_for)

    def write_commentary_text(self, kpi: str, scope: str, month: dt.date, *, who: str, text: str) -> Commentary:
        """A new version whose 'what happened' is `text`; the rest carries over from the current version
        (read inside the same transaction, so concurrent writers each build on the one before)."""
        def fields_(current: Commentary | None) -> dict:
            kept = {k: getattr(current, k) for k in ("why", "actions", "owner", "due_date", "status")} \
                if current else {"why": "", "actions": "", "owner": "", "due_date": None, "status": "open"}
            return {**kept, "what_happened": text}
        return self._save(kpi, scope, month, who, fields_)

    def _save(self, kpi: str, scope: str, month: dt.date, who: str, fields_for) -> Commentary:
        month = month.replace(day=1)
        key = {"kpi": kpi, "scope": scope, "month": _month_text(month)}

        def change(con, at, who):
            if self.backend.dialect == "postgresql":  # writers of this commentary queue (SQLite: BEGIN IMMEDIATE)
                con.execute("record_lock", {"key": lock_key(f"{kpi}|{scope}|{key['month']}")})
            old = con.one("commentary_for_month", key)
            current = self._commentary(old) if old else None
            params = self._commentary_params(month, **fields_for(current),
                                             closed_month=current.closed_month if current else None)
            stamp = {"at": at, "who": who}
            if old:
                con.execute("commentary_update", {**params, **stamp, "id": old["id"]})
                return "update", "commentary", old["id"], old
            created = con.execute("commentary_insert", {**params, **stamp, **key}).fetchone()["id"]
            return "add", "commentary", created, None
        return self.get_commentary(self._write(who, change))

    def get_commentary(self, commentary_id: int) -> Commentary:
        rows = self._rows("commentary_get", {"id": commentary_id})
        if not rows:
            raise StoreError(f"There is no commentary number {commentary_id}.")
        return self._commentary(rows[0])

    def close_commentary(self, commentary_id: int, *, who: str, month: dt.date | None = None) -> Commentary:
        """Close the actions of a commentary; ``month`` is the reporting month it is closed in
        (default: its own month). It is shown once more, as closed, in that month."""
        entry = self.get_commentary(commentary_id)
        closed = (month or entry.month).replace(day=1)
        params = {**{k: getattr(entry, k) for k in ("what_happened", "why", "actions", "owner")},
                  "due_date": entry.due_date.isoformat() if entry.due_date else None,
                  "status": "closed", "closed_month": _month_text(max(closed, entry.month)), "id": commentary_id}
        self._change(who, "close", "commentary", "commentary_update", params, entity_id=commentary_id)
        return self.get_commentary(commentary_id)

    def commentary_for(self, kpi: str, scope: str, month: dt.date | None) -> CommentaryView:
        """This month's commentary and the earlier actions carried forward into it."""
        if month is None:
            return CommentaryView(None)
        params = {"kpi": kpi, "scope": scope, "month": _month_text(month)}
        current = self._rows("commentary_for_month", params)
        carried = self._rows("commentary_carried", params)
        return CommentaryView(month, self._commentary(current[0]) if current else None,
                              tuple(self._commentary(r) for r in carried))

    def commentary_markers(self, scope: str, month: dt.date | None) -> dict[str, str]:
        """{kpi: 'current' | 'carried'} for the summary page's marker column."""
        if month is None:
            return {}
        return {r["kpi"]: r["kind"] for r in self._rows("commentary_markers",
                                                         {"scope": scope, "month": _month_text(month)})}

    def commentary_list(self, scope: str = "") -> list[Commentary]:
        return [self._commentary(r) for r in self._rows("commentary_list", {"scope": scope})]

    def commentary_versions(self) -> list[dict]:
        """Every version of every commentary (numbered per commentary), with who wrote it and when."""
        return self._rows("commentary_versions")

    def version_count(self, commentary_id: int) -> int:
        return sum(r["commentary_id"] == commentary_id for r in self.commentary_versions())

    # ---- interventions
    @staticmethod
    def _intervention(row: Mapping) -> Intervention:
        values = dict(row)
        return Intervention(
            id=values["id"], date=dt.date.fromisoformat(values["event_date"]), ics=values["ics"],
            orgs=_codes(values["orgs"]), kpis=_codes(values["kpis"]), label=values["label"],
            description=values["description"], change_point=bool(values["change_point"]),
            created_at=values["created_at"], created_by=values["created_by"],
            updated_at=values["updated_at"], updated_by=values["updated_by"])

    @staticmethod
    def _intervention_params(date: dt.date, label: str, description: str, ics: str, orgs: Iterable[str],
                             kpis: Iterable[str], change_point: bool) -> dict:
        label = clean_text(label, MAX_SHORT, "The label")
        if not label:
            raise StoreError("Give the intervention or event a label.")
        if not isinstance(date, dt.date):
            raise StoreError("Give the date of the intervention or event.")
        ics = clean_text(ics, MAX_SHORT, "The ICS") or ALL_ENGLAND
        return {"event_date": date.isoformat() if not isinstance(date, dt.datetime) else date.date().isoformat(),
                "label": label, "description": clean_text(description, MAX_TEXT, "The description"),
                "ics": ics, "orgs": ",".join(dict.fromkeys(o.strip() for o in orgs if o.strip())),
                "kpis": ",".join(dict.fromkeys(k.strip() for k in kpis if k.strip())),
                "change_point": int(bool(change_point))}

    def add_intervention(self, *, who: str, date: dt.date, label: str, description: str = "",
                         ics: str = ALL_ENGLAND, orgs: Iterable[str] = (), kpis: Iterable[str] = (),
                         change_point: bool = False) -> Intervention:
        params = self._intervention_params(date, label, description, ics, orgs, kpis, change_point)
        return self.get_intervention(self._change(who, "add", "intervention", "intervention_insert", params))

    def _unchanged_since(self, opened: "Intervention | None | object"):
        """The check that refuses a change to an intervention that is no longer as its editor opened it."""
        def check(old: dict | None) -> None:
            current = self._intervention(old) if old and not old["deleted"] else None
            if opened is not UNCHECKED and current != opened:
                raise InterventionConflict(current)
        return check

    def update_intervention(self, intervention_id: int, *, who: str,
                            opened: "Intervention | None | object" = UNCHECKED, **changes) -> Intervention:
        """Change an intervention. `opened`: the intervention as the editor saw it when they began; if it
        has changed or gone since, the change is refused with InterventionConflict."""
        current = self.get_intervention(intervention_id)
        merged = {"date": current.date, "label": current.label, "description": current.description,
                  "ics": current.ics, "orgs": current.orgs, "kpis": current.kpis,
                  "change_point": current.change_point}
        unknown = set(changes) - set(merged)
        if unknown:
            raise StoreError(f"Unknown intervention field(s): {', '.join(sorted(unknown))}.")
        params = self._intervention_params(**{**merged, **changes})
        self._change(who, "update", "intervention", "intervention_update", {**params, "id": intervention_id},
                     entity_id=intervention_id, check=self._unchanged_since(opened))
        return self.get_intervention(intervention_id)

    def delete_intervention(self, intervention_id: int, *, who: str,
                            opened: "Intervention | None | object" = UNCHECKED) -> None:
        self._change(who, "delete", "intervention", "intervention_delete", {"id": intervention_id},
                     entity_id=intervention_id, check=self._unchanged_since(opened))

    def get_intervention(self, intervention_id: int) -> Intervention:
        rows = self._rows("intervention_get", {"id": intervention_id})
        if not rows:
            raise StoreError(f"There is no intervention number {intervention_id}.")
        return self._intervention(rows[0])

    def interventions(self) -> list[Intervention]:
        return [self._intervention(r) for r in self._rows("intervention_list")]

    def events_for(self, kpi: str, orgs: Iterable[str], ics_of: Mapping[str, set[str]]) -> list[Intervention]:
        """Interventions to draw on a KPI's chart for these organisations (any of them touched)."""
        orgs = list(orgs)
        return [i for i in self.interventions() if i.applies_to(kpi) and i.touches(orgs, ics_of)]

    def change_points_for(self, kpi: str, orgs: Iterable[str], ics_of: Mapping[str, set[str]]) -> list[dt.date]:
        """Months from which the KPI's SPC limits are recalculated for these organisations
        (change points covering all of them)."""
        orgs = list(orgs)
        return sorted({i.change_month for i in self.interventions()
                       if i.change_point and i.applies_to(kpi) and i.covers(orgs, ics_of)})


# ---------------------------------------------------------------- charts
@dataclass(frozen=True)
class Annotations:
    """What a KPI chart draws from the register: events (date, label) and recalculation months."""
    events: tuple[tuple[dt.date, str], ...] = ()
    rebase_dates: tuple[dt.date, ...] = ()
    interventions: tuple[Intervention, ...] = field(default=(), compare=False)


CHART_LABEL_CHARS = 40


def chart_label(intervention: Intervention) -> str:
    label = intervention.label.replace("\n", " ")
    label = label if len(label) <= CHART_LABEL_CHARS else label[:CHART_LABEL_CHARS - 1] + "…"
    return f"{label} (change point)" if intervention.change_point else label


def annotations(store: Store, config, orgs: Iterable[str],
                readable: Callable[[Intervention], bool] | None = None) -> dict[str, Annotations]:
    """{kpi id: Annotations} for a chart's organisations, read from the register once; only the
    entries the reader may read (`readable`, from workforce.protect.access) are drawn or applied."""
    orgs = list(orgs)
    memberships = ics_of(config)
    register = [i for i in store.interventions() if readable is None or readable(i)]
    out = {}
    for kpi in config.kpis:
        touching = [i for i in register if i.applies_to(kpi.id) and i.touches(orgs, memberships)]
        out[kpi.id] = Annotations(
            events=tuple((i.date, chart_label(i)) for i in touching),
            rebase_dates=tuple(sorted({i.change_month for i in touching
                                       if i.change_point and i.covers(orgs, memberships)})),
            interventions=tuple(touching))
    return out


def add_change_point(store: Store, *, who: str, kpi, selection: Selection, date: dt.date) -> Intervention:
    """The one-click change point offered when a sustained shift is found and none is registered:
    for this KPI and exactly this selection (an ICS, or the chosen organisations), from the month
    the shift began, so the SPC limits are recalculated from there."""
    return store.add_intervention(
        who=who, date=date, label=f"{kpi.short_label or kpi.label}: process shift",  # drawn and listed as a change point already
        description="Registered from the KPI page, where a sustained shift with no change point was found.",
        ics=selection.ics or ALL_ENGLAND, orgs=selection.orgs, kpis=[kpi.id], change_point=True)


def record(obj) -> dict:
    """A record as a plain dict (dates as ISO text), e.g. for JSON or a table."""
    out = asdict(obj)
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in out.items()}
