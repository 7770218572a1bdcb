-- ingest/apply/adopt_drop_empty_fact: the first load into an empty database, staged straight into it
--   (ingest/stage/insert_direct_parsed_base.sql), becomes its fact table without a second copy: step 1 of 5, drop the empty fact table the direct rows replace.
-- params: none.
DROP TABLE wf.main.fact
