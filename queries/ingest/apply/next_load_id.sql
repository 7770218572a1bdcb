-- ingest/apply/next_load_id: the id for a new load. columns: load_id
SELECT coalesce(max(load_id), 0) + 1 AS load_id FROM load
