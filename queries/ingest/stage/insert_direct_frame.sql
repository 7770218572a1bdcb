-- ingest/stage/insert_direct_frame: the demo generator's frame straight into a fresh database being written, in
--   the table that becomes its fact table once checked (ingest/stage/create_direct_parsed_base.sql,
--   ingest/apply/adopt_*.sql): no second copy of its rows.
-- params: $load_id (the load these rows will be).
INSERT INTO wf.main.parsed_base
SELECT *, $load_id FROM wf_frame_rows()
