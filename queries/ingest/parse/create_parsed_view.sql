-- ingest/parse/create_parsed_view: `parsed`, the view every check and the load read: `parsed_base` (from
--   parse_staged) with each row's number in the file and whether its value is a suppression marker.
-- params: none. columns: row_no, period_text, period_written (the month as written: here period_text), period, org_code, staff_group, breakdown,
--   breakdown_value, measure, value_text, suppressed, value, value_column, problem_column,
--   problem_value, problem
CREATE OR REPLACE TEMP VIEW parsed AS
SELECT coalesce(b.row_no, b.rowid + i.first_row) AS row_no,
       b.period_text, b.period_text AS period_written, b.period, b.org_code, b.staff_group, b.breakdown, b.breakdown_value, b.measure,
       b.value_text,
       CASE WHEN b.value IS NULL THEN wf_missing(b.value_text) ELSE false END AS suppressed,
       b.value, b.value_column, b.problem_column, b.problem_value, b.problem
FROM parsed_base b CROSS JOIN file_info i
