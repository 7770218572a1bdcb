-- store/backend/schema_version_table: which numbered schema files (queries/store/schema/) have been applied.
-- params: none
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
