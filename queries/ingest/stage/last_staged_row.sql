-- ingest/stage/last_staged_row: the row number of the last data row staged from a file (every adapter stages at
--   least one row per data row of the file).
-- params: none. columns: row_no
SELECT max(row_no) AS row_no FROM staged
