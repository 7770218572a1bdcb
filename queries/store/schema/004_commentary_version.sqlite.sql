-- store/schema/004_commentary_version.sqlite: every version of every commentary (SQLite). A save writes a new
-- version (and updates the commentary row, which holds the current one); none is ever changed or removed.
CREATE TABLE IF NOT EXISTS commentary_version (
    id INTEGER PRIMARY KEY,
    commentary_id INTEGER NOT NULL REFERENCES commentary (id),
    kpi TEXT NOT NULL,
    scope TEXT NOT NULL,
    month TEXT NOT NULL,
    what_happened TEXT NOT NULL,
    why TEXT NOT NULL,
    actions TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_date TEXT,
    status TEXT NOT NULL,
    closed_month TEXT,
    written_at TEXT NOT NULL,
    written_by TEXT NOT NULL
)
