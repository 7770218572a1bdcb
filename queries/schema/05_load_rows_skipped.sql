-- schema/05_load_rows_skipped: rows of the file not loaded on purpose (totals beside staff groups,
--   organisations outside the dashboard, FTE rows of a headcount measure …); see notes.
ALTER TABLE load ADD COLUMN IF NOT EXISTS rows_skipped BIGINT DEFAULT 0
