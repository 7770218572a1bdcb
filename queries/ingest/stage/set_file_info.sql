-- ingest/stage/set_file_info: the row number of the file's first data row (2, or more when title lines sit above
--   the header), for numbering rows staged in file order.
-- params: $first_row. columns: first_row
CREATE OR REPLACE TEMP TABLE file_info AS SELECT CAST($first_row AS BIGINT) AS first_row
