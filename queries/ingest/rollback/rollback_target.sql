-- ingest/rollback/rollback_target: the load to roll back.
-- params: $load_id. columns: load_id, file, status, loaded_at, rolled_back_at, rolled_back_by
SELECT load_id, file, status, loaded_at, rolled_back_at, rolled_back_by FROM load WHERE load_id = $load_id
