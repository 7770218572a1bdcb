"""The audit log: who loaded or rolled back data, and who changed commentary or interventions.

Loads and rollbacks are recorded in the workforce database's load history; edits in the app
store's audit table. This merges the two, newest first, for admins to read and export.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..ingest.loader import load_history
from ..store.records import Store

COLUMNS = ["when", "who", "action", "what", "details"]


def _load_events(db_path: Path) -> list[dict]:
    if not Path(db_path).exists():
        return []
    events = []
    for row in load_history(db_path).to_dict(orient="records"):
        events.append({"when": pd.Timestamp(row["loaded_at"]), "who": row["loaded_by"], "action": "load",
                       "what": f"load {row['load_id']}: {row['file']} ({row['format']})",
                       "details": f"{row['rows_loaded']:,} rows loaded, {row['rows_new']:,} new, "
                                  f"{row['rows_changed']:,} changed"})
        if pd.notna(row.get("rolled_back_at")):
            events.append({"when": pd.Timestamp(row["rolled_back_at"]), "who": row["rolled_back_by"],
                           "action": "rollback", "what": f"load {row['load_id']}: {row['file']}",
                           "details": "values it replaced restored"})
    return events


def _store_events(store: Store | None) -> list[dict]:
    if store is None:
        return []
    return [{"when": pd.Timestamp(row["at"]), "who": row["who"], "action": row["action"],
             "what": f"{row['entity']} {row['entity_id']}", "details": readable_details(row["old"], row["new"])}
            for row in store.audit(limit=100_000)]


def audit_log(db_path: Path, store: Store | None) -> pd.DataFrame:
    events = _load_events(db_path) + _store_events(store)
    if not events:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.DataFrame(events)[COLUMNS]
    frame["when"] = pd.to_datetime(frame["when"], utc=True, format="mixed").dt.tz_localize(None)
    return frame.sort_values("when", ascending=False, kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- as admins read it
ACTIONS = {"load": "Data loaded", "rollback": "Load rolled back", "add": "added", "update": "changed",
           "delete": "removed", "close": "actions closed"}
FIELDS = {"event_date": "Date", "ics": "ICS", "orgs": "Organisations", "kpis": "KPIs", "label": "Label",
          "description": "Description", "change_point": "Change point", "kpi": "KPI", "scope": "For",
          "month": "Month", "what_happened": "What happened", "why": "Why", "actions": "Actions",
          "owner": "Owner", "due_date": "Due", "status": "Status"}
BOOKKEEPING = {"id", "deleted", "created_at", "created_by", "updated_at", "updated_by"}


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
    return "" if value is None else str(value).replace(",", ", ")


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
