-- ingest/apply/adopt_drop_month_texts: the first load into an empty database, staged straight into it
--   (ingest/stage/insert_direct_parsed_base.sql), becomes its fact table without a second copy: step 3 of 5, drop the file's month texts.
-- params: none.
ALTER TABLE wf.main.parsed_base DROP COLUMN period_text
