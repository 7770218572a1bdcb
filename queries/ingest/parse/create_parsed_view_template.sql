-- ingest/parse/create_parsed_view_template: `parsed` over the lean `parsed_base` of a template file or data frame
--   (stage_csv, stage_frame), which carries no adapter columns: they are NULL here.
--   period_written is the month as the file wrote it, NULL for a frame's typed month (always a
--   month, so the checks need not write 13 million of them out to look).
-- params: none. columns: as ingest/parse/create_parsed_view.sql
CREATE OR REPLACE TEMP VIEW parsed AS
SELECT coalesce(b.row_no, b.rowid + i.first_row) AS row_no,
       coalesce(b.period_text, strftime(b.period, '%Y-%m')) AS period_text, b.period_text AS period_written, b.period, b.org_code, b.staff_group, b.breakdown, b.breakdown_value, b.measure,
       coalesce(b.value_text, regexp_replace(CAST(b.value AS VARCHAR), '\.0$', '')) AS value_text,
       CASE WHEN b.value IS NULL THEN wf_missing(b.value_text) ELSE false END AS suppressed,
       b.value, NULL::VARCHAR AS value_column, NULL::VARCHAR AS problem_column,
       NULL::VARCHAR AS problem_value, NULL::VARCHAR AS problem
FROM parsed_base b CROSS JOIN file_info i
