-- ingest/parse/parsed_in_database: whether the current file's rows were staged straight into the database
--   (ingest/stage/insert_direct_parsed_base.sql) rather than into the loader's staging database.
-- params: none. columns: held
SELECT count(*) > 0 AS held FROM duckdb_tables() WHERE database_name = 'wf' AND table_name = 'parsed_base'
