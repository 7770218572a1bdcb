-- ingest/stage/count_skipped: the rows of `staged` marked to be skipped, by reason, for the load report —
--   counted as rows of the file (a file row melts into several figures), with the first row.
-- params: none. columns: skip_reason, rows, first_row, examples (up to 5 organisation codes),
--   organisations
SELECT skip_reason, count(DISTINCT row_no) AS rows, min(row_no) AS first_row,
       list_slice(list(DISTINCT org_code ORDER BY org_code), 1, 5) AS examples,
       count(DISTINCT org_code) AS organisations
FROM staged
WHERE skip_reason IS NOT NULL
GROUP BY skip_reason
ORDER BY min(row_no)
