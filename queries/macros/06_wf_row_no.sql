-- macros/06_wf_row_no: the line a problem should point at: the original file's row when the file
--   was converted (a workbook's source_row column), else the CSV line (header and title rows counted).
CREATE OR REPLACE TEMP MACRO wf_row_no(source_row, file_row, skip_rows) AS
    coalesce(TRY_CAST(source_row AS BIGINT), file_row + 1 + skip_rows)
