-- parse_staged: type the staged text into `parsed` (period as the first of the month; value NULL
--   where the file holds a suppression marker '*', '.', '-', 'x' or a blank).
-- params: none. columns: row_no, period, org_code, staff_group, breakdown, breakdown_value,
--   measure, value, suppressed, value_text, period_text
CREATE OR REPLACE TEMP TABLE parsed AS
SELECT
    row_no,
    period_text,
    TRY_CAST(TRY_STRPTIME(period_text || '-01', '%Y-%m-%d') AS DATE) AS period,
    org_code, staff_group, breakdown, breakdown_value, measure,
    value_text,
    value_text IN ('', '*', '.', '-', 'x', ':', '..') AS suppressed,
    TRY_CAST(replace(value_text, ',', '') AS DOUBLE) AS value
FROM staged
