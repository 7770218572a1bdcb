-- store/schema/009_load_event_details: what landed, as JSON: for a load, the database's load row (file,
-- sha256, format, rows_in, rows_loaded, rows_rejected, rows_skipped, rows_missing, rows_new, rows_changed,
-- rows_unchanged, notes) and the data generation it went into; for a rollback, the load's file and sha256,
-- rows_removed, rows_restored and the generation it made. '{}' for events recorded before it.
ALTER TABLE load_event ADD COLUMN details TEXT NOT NULL DEFAULT '{}'
