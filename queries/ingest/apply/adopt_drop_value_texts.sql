-- ingest/apply/adopt_drop_value_texts: the first load into an empty database, staged straight into it
--   (ingest/stage/insert_direct_parsed_base.sql), becomes its fact table without a second copy: step 4 of 5, drop the file's value texts.
-- params: none.
ALTER TABLE wf.main.parsed_base DROP COLUMN value_text
