-- store/schema/010_load_event_index: one database's loads and rollbacks found without a scan.
CREATE INDEX IF NOT EXISTS load_event_by_database ON load_event (database_id, id)
