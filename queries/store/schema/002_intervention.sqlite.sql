-- store/schema/002_intervention.sqlite: the intervention and event register (SQLite).
-- ics: the ICS it was recorded for, or 'ENG' for every organisation; orgs: comma-separated
-- organisation codes ('' = the whole ICS); kpis: comma-separated KPI ids ('' = every KPI);
-- change_point 1: SPC limits are recalculated from the first month on or after event_date.
-- Deleting only sets deleted = 1, so the audit trail keeps its meaning.
CREATE TABLE IF NOT EXISTS intervention (
    id INTEGER PRIMARY KEY,
    event_date TEXT NOT NULL,
    ics TEXT NOT NULL,
    orgs TEXT NOT NULL DEFAULT '',
    kpis TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    change_point INTEGER NOT NULL DEFAULT 0 CHECK (change_point IN (0, 1)),
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
)
