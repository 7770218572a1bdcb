-- count_missing: rows of `parsed` held as missing (suppression markers or blanks), and all rows.
-- params: none. columns: rows_in, rows_missing
SELECT count(*) AS rows_in, count(*) FILTER (WHERE suppressed) AS rows_missing FROM parsed
