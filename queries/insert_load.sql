-- insert_load: record a load in the history.
-- params: one per column of load.
INSERT INTO load VALUES ($load_id, $file, $sha256, $format, $rows_in, $rows_loaded, $rows_rejected,
    $rows_missing, $rows_new, $rows_changed, $rows_unchanged, $loaded_at, $loaded_by, $status)
