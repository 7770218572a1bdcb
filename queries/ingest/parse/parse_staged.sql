-- ingest/parse/parse_staged: type the staged text into `parsed_base` (read through the `parsed` view): period as
--   the first of the month, value NULL where the file holds a suppression marker or a blank (see
--   macros/01_wf_missing.sql) — stored as missing and counted, never as zero.
-- params: none. columns: row_no, period_text, period, org_code, staff_group, breakdown,
--   breakdown_value, measure, value_text, value, value_column, problem_column, problem_value,
--   problem (read through ingest/parse/create_parsed_view.sql, which adds `suppressed`)
CREATE OR REPLACE TEMP TABLE parsed_base AS
SELECT
    row_no,
    period_text,
    TRY_CAST(period_text || '-01' AS DATE) AS period,
    org_code, staff_group, breakdown, breakdown_value, measure,
    value_text,
    wf_number(value_text) AS value,
    value_column, problem_column, problem_value, problem
FROM staged
