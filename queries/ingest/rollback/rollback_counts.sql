-- ingest/rollback/rollback_counts: what rolling back a load does: figures it added (removed again) and figures it
--   replaced (restored to the values they had before it).
-- params: $load_id. columns: rows_removed, rows_restored
SELECT
    (SELECT count(*) FROM fact WHERE load_id = $load_id)
      - (SELECT count(*) FROM fact_history WHERE load_id = $load_id AND existed) AS rows_removed,
    (SELECT count(*) FROM fact_history WHERE load_id = $load_id AND existed) AS rows_restored
