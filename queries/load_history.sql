-- load_history: every load, newest first.
-- params: none. columns: load_id, file, sha256, format, rows_in, rows_loaded, rows_rejected,
--   rows_missing, rows_new, rows_changed, rows_unchanged, loaded_at, loaded_by, status
SELECT load_id, file, sha256, format, rows_in, rows_loaded, rows_rejected, rows_missing,
       rows_new, rows_changed, rows_unchanged, loaded_at, loaded_by, status
FROM load
ORDER BY load_id DESC
