-- ingest/rollback/rollback_mark: record that a load was rolled back, when and by whom.
-- params: $load_id, $at (TIMESTAMP), $by
UPDATE load SET status = 'rolled back', rolled_back_at = $at, rolled_back_by = $by WHERE load_id = $load_id
