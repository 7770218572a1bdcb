-- macros/05_wf_file: a staged file's rows as text, numbered in file order (file_row 1 = the first
--   row under the header), streamed by DuckDB's CSV reader. Every adapter's staging query reads
--   its file through this. params: path, skip_rows (title rows above the header), cols (the
--   column names and types, worked out from the header by the adapter).
CREATE OR REPLACE TEMP MACRO wf_file(path, skip_rows, cols) AS TABLE
    SELECT row_number() OVER () AS file_row, *
    FROM read_csv(path, auto_detect = false, header = true, skip = skip_rows, columns = cols,
                  delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false)
