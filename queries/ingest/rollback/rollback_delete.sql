-- ingest/rollback/rollback_delete: remove every figure a load put in (its new keys and its replacements).
-- params: $load_id
DELETE FROM fact WHERE load_id = $load_id
