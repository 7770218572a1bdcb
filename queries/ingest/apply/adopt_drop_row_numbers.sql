-- ingest/apply/adopt_drop_row_numbers: the first load into an empty database, staged straight into it
--   (ingest/stage/insert_direct_parsed_base.sql), becomes its fact table without a second copy: step 2 of 5, drop the file's row numbers.
-- params: none.
ALTER TABLE wf.main.parsed_base DROP COLUMN row_no
