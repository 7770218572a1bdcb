-- ingest/rollback/load_history: every load, newest first.
-- params: none. columns: load_id, file, sha256, format, rows_in, rows_loaded, rows_rejected,
--   rows_missing, rows_new, rows_changed, rows_unchanged, rows_skipped, loaded_at, loaded_by, status,
--   rolled_back_at, rolled_back_by, notes
--   (every column of the table: a database written by an earlier version lacks the later
--   columns until its next write, and workforce.loader.load_history fills them in as empty)
SELECT *
FROM load
ORDER BY load_id DESC
