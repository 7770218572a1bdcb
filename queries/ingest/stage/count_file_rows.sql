-- ingest/stage/count_file_rows: how many of the file's rows were staged (before any is skipped), for the load
--   report's "N file rows → M figures": a row melts into several figures, and messages count rows.
-- params: none. columns: file_rows
SELECT count(DISTINCT row_no) AS file_rows FROM staged
