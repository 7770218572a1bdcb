-- ingest/stage/direct_staging: whether a template file can be staged straight into the database (a file being
--   written, whose fact table is empty), and the load id its rows will carry.
-- params: none. columns: direct, load_id
SELECT coalesce((SELECT NOT readonly AND path IS NOT NULL FROM duckdb_databases() WHERE database_name = 'wf'), false)
           AND NOT EXISTS (SELECT 1 FROM wf.main.fact) AS direct,
       (SELECT coalesce(max(load_id), 0) + 1 FROM wf.main.load) AS load_id
