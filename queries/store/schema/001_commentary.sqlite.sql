-- store/schema/001_commentary.sqlite: exception commentary, one row per KPI, scope and reporting month (SQLite).
-- scope: 'ics:<ICS code>', 'org:<organisation code>' or 'ENG' (see workforce/meetings.py).
-- month: the reporting month 'YYYY-MM'; due_date 'YYYY-MM-DD'; closed_month: the reporting month
-- in which the actions were closed (they are carried forward into later months until then).
CREATE TABLE IF NOT EXISTS commentary (
    id INTEGER PRIMARY KEY,
    kpi TEXT NOT NULL,
    scope TEXT NOT NULL,
    month TEXT NOT NULL,
    what_happened TEXT NOT NULL DEFAULT '',
    why TEXT NOT NULL DEFAULT '',
    actions TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'closed')),
    closed_month TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (kpi, scope, month)
)
