-- ingest/apply/insert_load: record a load in the history (columns by name).
-- params: one per column of load.
INSERT INTO load BY NAME
SELECT $load_id AS load_id, $file AS file, $sha256 AS sha256, $format AS format, $rows_in AS rows_in,
       $rows_loaded AS rows_loaded, $rows_rejected AS rows_rejected, $rows_missing AS rows_missing,
       $rows_new AS rows_new, $rows_changed AS rows_changed, $rows_unchanged AS rows_unchanged,
       $rows_skipped AS rows_skipped, $notes AS notes, $loaded_at AS loaded_at, $loaded_by AS loaded_by,
       $status AS status
