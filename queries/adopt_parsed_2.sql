-- adopt_parsed_2: the first load into an empty database, staged straight into it
--   (insert_direct_parsed_base.sql), becomes its fact table without a second copy: step 2 of 5, drop the file's row numbers.
-- params: none.
ALTER TABLE wf.main.parsed_base DROP COLUMN row_no
