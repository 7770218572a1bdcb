-- ingest/apply/fact_is_empty: whether the database holds no figures yet (a first load needs no comparison).
-- params: none. columns: empty
SELECT NOT EXISTS (SELECT 1 FROM fact) AS empty
