-- ingest/stage/insert_direct_parsed_base: a template file straight into the database being written (the first load
--   into an empty database, e.g. 10 million rows): DuckDB stores the rows compressed once, where
--   they will stay (see ingest/stage/create_direct_parsed_base.sql).
-- params: $path, $columns, $skip (as ingest/stage/stage_csv.sql), $load_id (the load these rows will be).
INSERT INTO wf.main.parsed_base
SELECT *, $load_id FROM wf_template_rows($path, $columns, $skip)
