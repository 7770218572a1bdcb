"""The audit log: who loaded or rolled back data, and who changed commentary or interventions.

Loads and rollbacks are recorded in the workforce database's load history; edits in the app
store's audit table. This merges the two, newest first, for admins to read and export.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .loader import load_history
from .meetings import Store

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
             "what": f"{row['entity']} {row['entity_id']}", "details": row["new"] or row["old"] or ""}
            for row in store.audit(limit=100_000)]


def audit_log(db_path: Path, store: Store | None) -> pd.DataFrame:
    events = _load_events(db_path) + _store_events(store)
    if not events:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.DataFrame(events)[COLUMNS]
    frame["when"] = pd.to_datetime(frame["when"], utc=True, format="mixed").dt.tz_localize(None)
    return frame.sort_values("when", ascending=False, kind="stable").reset_index(drop=True)
