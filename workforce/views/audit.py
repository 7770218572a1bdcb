"""The audit log: who loaded or rolled back data, and who changed commentary or interventions.

Loads and rollbacks come from the store's load records (every machine of a cluster's), with the
database file's own history for loads the store has no record of (workforce.ingest.history); edits
from the store's audit table. This merges the two, newest first, for admins to read and export.
Times are this machine's local time.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..base.formatting import plural
from ..ingest.history import FILE, STORE, local_time
from ..ingest.loader import recorded_history
from ..store.records import Store

COLUMNS = ["when", "who", "action", "what", "details"]


def _load_events(db_path: Path, store: Store | None) -> tuple[list[dict], list[str]]:
    if not Path(db_path).exists():
        return [], []
    recorded = recorded_history(db_path, store.backend if store else None)
    events = []
    for row in recorded.loads.iloc[::-1].to_dict(orient="records"):  # as they happened: a load, then its rollback
        events.append({"when": row["loaded_at"], "who": row["loaded_by"], "action": "load", "order": row["record"],
                       "what": f"load {row['load_id']}: {row['file']} ({row['format']})", "details": _loaded(row)})
        if pd.notna(row.get("rolled_back_at")):
            events.append({"when": row["rolled_back_at"], "who": row["rolled_back_by"], "action": "rollback",
                           "order": row["rollback_record"], "what": f"load {row['load_id']}: {row['file']}",
                           "details": _rolled_back(row)})
    return events, recorded.notes


def _loaded(row: dict) -> str:
    counts = (f"{plural(row['rows_in'], 'row')} in, {row['rows_loaded']:,} loaded, {row['rows_rejected']:,} "
              f"rejected ({row['rows_new']:,} new, {row['rows_changed']:,} changed)")
    if row["source"] != STORE:
        return f"{counts}; checksum {row['sha256'][:16]}…; from the {FILE}'s own history"
    return f"{counts}; into data generation {row['generation']}, on {row['host']}; checksum {row['sha256'][:16]}…"


def _rolled_back(row: dict) -> str:
    if pd.isna(row.get("rows_removed")):
        return f"values it replaced restored; from the {FILE}'s own history"
    return (f"{plural(row['rows_removed'], 'figure')} it added removed, {row['rows_restored']:,} it replaced "
            f"restored; data generation {row['rollback_generation']}, on {row['rollback_host']}")


def _store_events(store: Store | None) -> list[dict]:
    if store is None:
        return []
    return [{"when": local_time(row["at"]), "who": row["who"], "action": row["action"],
             "what": f"{row['entity']} {row['entity_id']}", "details": readable_details(row["old"], row["new"])}
            for row in reversed(store.audit(limit=100_000))]  # as they happened (the log is sorted newest first)


def audit_log_and_notes(db_path: Path, store: Store | None) -> tuple[pd.DataFrame, list[str]]:
    """The audit log, newest first, and what the store's load records lack (to be said beside it)."""
    loads, notes = _load_events(db_path, store)
    events = loads + _store_events(store)
    if not events:
        return pd.DataFrame(columns=COLUMNS), notes
    frame = pd.DataFrame(events, columns=[*COLUMNS, "order"])
    frame["when"], frame["order"] = pd.to_datetime(frame["when"]), frame["order"].astype("Int64").fillna(-1)
    # newest first; within a second, by the store's record numbers (a rollback after the load it followed)
    frame = frame.sort_values(["when", "order"], kind="stable").iloc[::-1]
    return frame[COLUMNS].reset_index(drop=True), notes


def audit_log(db_path: Path, store: Store | None) -> pd.DataFrame:
    return audit_log_and_notes(db_path, store)[0]


# ---------------------------------------------------------------- as admins read it
ACTIONS = {"load": "Data loaded", "rollback": "Load rolled back", "add": "added", "update": "changed",
           "delete": "removed", "close": "actions closed"}
FIELDS = {"event_date": "Date", "ics": "ICS", "orgs": "Organisations", "kpis": "KPIs", "label": "Label",
          "description": "Description", "change_point": "Change point", "kpi": "KPI", "scope": "For",
          "month": "Month", "what_happened": "What happened", "why": "Why", "actions": "Actions",
          "owner": "Owner", "due_date": "Due", "status": "Status"}
BOOKKEEPING = {"id", "deleted", "created_at", "created_by", "updated_at", "updated_by"}
LISTS = {"orgs", "kpis"}  # stored as codes joined by commas; every other field is text as written


def _record(text: str | None) -> dict:
    import json

    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {"details": text}
    return value if isinstance(value, dict) else {"details": text}


def _field_text(key: str, value: object) -> str:
    import datetime as dt

    from ..base.formatting import uk_date

    if key in ("change_point", "deleted"):
        return "yes" if value else "no"
    if key in ("event_date", "due_date", "month") and isinstance(value, str) and len(value) >= 7:
        try:
            day = dt.date.fromisoformat(value if len(value) == 10 else value[:7] + "-01")
            return uk_date(day) if len(value) == 10 else f"{day:%b %Y}"
        except ValueError:
            return value
    if value is None:
        return ""
    return str(value).replace(",", ", ") if key in LISTS else str(value)  # "1,200 nurses" stays as written


def readable_details(old: str | None, new: str | None) -> str:
    """A store change in words: every field of a new or removed record, only what changed in an edit."""
    before, after = _record(old), _record(new)
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in BOOKKEEPING]
    if before and after:
        changed = [k for k in keys if before.get(k) != after.get(k)]
        return "; ".join(f"{FIELDS.get(k, k)}: {_field_text(k, before.get(k))} → {_field_text(k, after.get(k))}"
                         for k in changed) or "no change to the fields shown"
    record = after or before
    return "; ".join(f"{FIELDS.get(k, k)}: {_field_text(k, record.get(k))}" for k in keys
                     if record.get(k) not in (None, ""))


def audit_table(log: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The audit log with headed columns, one UK date format and details in words (not JSON);
    `names` turns codes in the details (KPI ids) into their labels."""
    import re

    from ..base.formatting import uk_datetime

    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b") \
        if names else None

    def action(row) -> str:
        if row["action"] in ("load", "rollback"):
            return ACTIONS[row["action"]]
        entity = str(row["what"]).split(" ")[0].capitalize()
        return f"{entity} {ACTIONS.get(row['action'], str(row['action']).replace('_', ' '))}"

    return pd.DataFrame({
        "When": [uk_datetime(pd.Timestamp(t).to_pydatetime()) for t in log["when"]],
        "Who": log["who"], "Action": [action(r) for _, r in log.iterrows()],
        "What": [str(w)[:1].upper() + str(w)[1:] for w in log["what"]],
        "Details": [pattern.sub(lambda m: names[m.group(1)], str(d or "")) if pattern else str(d or "")
                    for d in log["details"]]})
