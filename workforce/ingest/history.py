"""The load history people read: the store's load records, with the database file's own where the store
has none.

Every load and rollback that lands is recorded in the store (`load_event`, SQLite or a cluster's
PostgreSQL: workforce.base.store_backend) with who, when, which machine, what landed (the file's name,
checksum and format, rows in, loaded and rejected …) and the data generation it made. The `loads`
command, the Load data page and the Audit log read those records, so every machine of a cluster sees
every load. A record names its database by the id the file carries (meta `database_id`), not its path.

The database file keeps its own history too (the `load` table and the fact history): rollback needs
it, and it says which loads are in force. So a load the store has no record of — made before the
store kept them, or while it was not answering — is still listed, from the file, and said to be.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..base.formatting import uk_datetime
from ..base.store_backend import StoreUnavailable

STORE, FILE = "store", "database file"
NOT_HELD = "not in the database file"
FIELDS = ("file", "sha256", "format", "rows_in", "rows_loaded", "rows_rejected", "rows_missing", "rows_new",
          "rows_changed", "rows_unchanged", "rows_skipped", "notes")
COLUMNS = ["load_id", *FIELDS[:3], "rows_in", "rows_loaded", "rows_rejected", "rows_missing", "rows_new",
           "rows_changed", "rows_unchanged", "rows_skipped", "loaded_at", "loaded_by", "host", "generation",
           "status", "rolled_back_at", "rolled_back_by", "rollback_host", "rollback_generation",
           "rows_removed", "rows_restored", "notes", "source", "record", "rollback_record"]
# record, rollback_record: the store's numbers for the load's and the rollback's records, in the order
# they landed (times are to the second)
COUNTS = ["load_id", "record", "rollback_record", *(c for c in COLUMNS if c.startswith("rows_"))]
TEXTS = [c for c in COLUMNS if c not in COUNTS and not c.endswith("_at")]


@dataclass(frozen=True)
class Landed:
    """What a write left in the database, read before it was swapped in: the file's id, the data
    generation it made and the load rows it wrote or rolled back."""
    database_id: str
    generation: str
    loads: list[dict]


@dataclass
class LoadHistory:
    loads: pd.DataFrame                        # one row per load, newest first: COLUMNS
    notes: list[str] = field(default_factory=list)   # where the record is incomplete, and why


# ---------------------------------------------------------------- writing
def record(backend, database: Path, landed: Landed, action: str, who: str, extra: dict | None = None) -> None:
    """Each load of `landed` (action 'load'), or the one rolled back ('rollback'), in the store."""
    with backend.transaction() as con:
        for row in landed.loads:
            details = {**{key: _plain(row.get(key)) for key in FIELDS}, "generation": landed.generation,
                       **(extra or {})}
            at = row["loaded_at"] if action == "load" else row["rolled_back_at"]
            con.execute("load_event_add", {
                "at": _aware(at), "who": who, "host": socket.gethostname(), "database": str(database),
                "database_id": landed.database_id, "action": action, "load_id": int(row["load_id"]),
                "summary": _summary(action, details), "details": json.dumps(details)})


def _summary(action: str, details: dict) -> str:
    if action == "load":
        return f"{details['file']}: {details['rows_new']:,} new, {details['rows_changed']:,} changed"
    return f"{details['file']}: {details['rows_removed']:,} removed, {details['rows_restored']:,} restored"


def _plain(value):
    """A value of a load row as JSON holds it (numpy integers as int, missing as None)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _aware(value) -> str:
    """A time the loader wrote (this machine's local time, naive) with its offset: ISO, to the second."""
    return pd.Timestamp(value).to_pydatetime().astimezone().isoformat(timespec="seconds")


def local_time(value: str | dt.datetime) -> pd.Timestamp:
    """A recorded time (ISO text with its offset, or a naive local time) as this machine's local time,
    naive, as the database file's own times are."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else pd.Timestamp(value).to_pydatetime()
    return pd.Timestamp(moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment)


# ---------------------------------------------------------------- reading
def read(held: pd.DataFrame, database_id: str | None, backend) -> LoadHistory:
    """The history of one database: `held` is the file's own (workforce.ingest.loader.held_history),
    `backend` the store (None: the file's history alone)."""
    notes: list[str] = []
    events: list[dict] = []
    if backend is not None and database_id:
        try:
            events = backend.rows("load_events_of_database", {"database_id": database_id})
        except StoreUnavailable:
            notes.append(f"{backend.describe()} is not answering: the history below is the database file's own "
                         "(without the machine or data generation of each load).")
    loads, undone = _by_load(events)
    rows = [_merge(row, loads.pop(_key(row), None), undone.get(_key(row)))
            for row in held.to_dict(orient="records")]
    rows += [_not_held(event, undone.get(key)) for key, event in loads.items()]
    if backend is not None and not notes:
        notes += _gaps(rows)
    frame = pd.DataFrame(rows, columns=COLUMNS).astype({c: "Int64" for c in COUNTS})
    frame[TEXTS] = frame[TEXTS].astype(object).where(frame[TEXTS].notna(), None)
    if not frame.empty:
        frame = frame.sort_values(["loaded_at", "load_id"], ascending=False, kind="stable").reset_index(drop=True)
    return LoadHistory(frame, notes)


def _key(row: dict) -> tuple[int, str]:
    return int(row["load_id"]), str(row["sha256"])


def _by_load(events: list[dict]) -> tuple[dict, dict]:
    """({(load id, sha256): load event with its details}, {… : rollback event}) — a load is known by
    its number and its file's checksum, so a copy of the database that went its own way is not mixed in."""
    loads, undone = {}, {}
    for event in events:
        details = json.loads(event["details"] or "{}")
        key = (int(event["load_id"]), details["sha256"])
        (loads if event["action"] == "load" else undone)[key] = {**event, **details}
    return loads, undone


def _merge(held: dict, load: dict | None, rollback: dict | None) -> dict:
    """One load: the store's record of it when there is one, else the file's; whether its figures are
    in force is the file's to say (rollback works on the file)."""
    row = _from_store(load) if load else {**held, "source": FILE}
    row["status"] = held["status"]
    if rollback:
        row.update(_rollback(rollback))
    elif held["status"] != "loaded":  # rolled back while the store was not answering
        row.update(rolled_back_at=held["rolled_back_at"], rolled_back_by=held["rolled_back_by"],
                   rollback_source=FILE)
    return row


def _from_store(event: dict) -> dict:
    return {**{key: event.get(key) for key in FIELDS}, "load_id": int(event["load_id"]),
            "loaded_at": local_time(event["at"]), "loaded_by": event["who"], "host": event["host"],
            "generation": event.get("generation"), "source": STORE, "record": event["id"]}


def _rollback(event: dict) -> dict:
    return {"rolled_back_at": local_time(event["at"]), "rolled_back_by": event["who"], "rollback_host": event["host"],
            "rollback_generation": event.get("generation"), "rows_removed": event.get("rows_removed"),
            "rows_restored": event.get("rows_restored"), "rollback_source": STORE, "rollback_record": event["id"]}


def _not_held(event: dict, rollback: dict | None) -> dict:
    row = {**_from_store(event), "status": NOT_HELD}
    return {**row, **_rollback(rollback)} if rollback else row


def _gaps(rows: list[dict]) -> list[str]:
    """Where the store's record falls short of the file's, in words."""
    gaps = {
        "{loads} {is} not in the store's load records (made before the store kept them, or while it was not "
        "answering): shown from the database file's own history.": [r for r in rows if r["source"] == FILE],
        "{loads} {was} rolled back while the store was not answering: when and by whom are the database "
        "file's.": [r for r in rows if r["source"] == STORE and r.get("rollback_source") == FILE],
        "{loads} {is} recorded in the store but not in this database file (an earlier copy of the file put "
        "back?): listed, but there is nothing of them to roll back.": [r for r in rows if r["status"] == NOT_HELD],
    }
    return [text.format(**_loads([r["load_id"] for r in which])) for text, which in gaps.items() if which]


def _loads(ids: list[int]) -> dict[str, str]:
    """{'loads': 'Load 4' or 'Loads 1–3 and 7' (runs of consecutive numbers joined), 'is': 'is' or 'are',
    'was': 'was' or 'were'}."""
    numbers = sorted(set(ids))
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    spans = [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]
    text = spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]
    one = len(numbers) == 1
    return {"loads": f"{'Load' if one else 'Loads'} {text}", "is": "is" if one else "are",
            "was": "was" if one else "were"}


# ---------------------------------------------------------------- as the Load data page shows it
TABLE = ["Load", "When", "Who", "File", "Status", "Generation", "Rows in", "Loaded", "Rejected", "Rolled back",
         "Skipped", "Missing", "Format", "Recorded in", "Checksum (SHA-256)"]   # what people look for first, on the left


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The load history with headed columns: when and by whom a load was rolled back ('5 Nov 2026, 14:05 by
    ann'), and where each load's record comes from (the store, or the database file for loads it has none of)."""
    if history.empty:
        return pd.DataFrame(columns=TABLE)
    undone = ["" if pd.isna(at) else f"{uk_datetime(at)} by {by}"
              for at, by in zip(history["rolled_back_at"], history["rolled_back_by"])]
    return pd.DataFrame(dict(zip(TABLE, [
        history["load_id"], [uk_datetime(t) for t in history["loaded_at"]], history["loaded_by"], history["file"],
        history["status"], [g if isinstance(g, str) else "" for g in history["generation"]], history["rows_in"],
        history["rows_loaded"], history["rows_rejected"], undone, history["rows_skipped"], history["rows_missing"],
        history["format"], history["source"], [s[:16] + "…" for s in history["sha256"]]])))
