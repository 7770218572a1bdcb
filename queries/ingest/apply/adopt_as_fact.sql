-- ingest/apply/adopt_as_fact: the first load into an empty database, staged straight into it
--   (ingest/stage/insert_direct_parsed_base.sql), becomes its fact table without a second copy: step 5 of 5, the checked rows become the fact table (same columns, order and constraints).
-- params: none.
ALTER TABLE wf.main.parsed_base RENAME TO fact
