-- store/schema/007_load_event.sqlite: every load and rollback as the cluster sees it (SQLite): which machine
-- and database, who, when and what (the database file keeps its own history for rollback).
-- action: load | rollback; load_id: the database's load number; summary: one line.
CREATE TABLE IF NOT EXISTS load_event (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    host TEXT NOT NULL,
    database TEXT NOT NULL,
    action TEXT NOT NULL,
    load_id INTEGER,
    summary TEXT NOT NULL DEFAULT ''
)
