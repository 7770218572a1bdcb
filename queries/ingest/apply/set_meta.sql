-- ingest/apply/set_meta: record one key/value fact about the database.
-- params: $key, $value
INSERT OR REPLACE INTO meta (key, value) VALUES ($key, $value)
