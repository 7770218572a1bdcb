-- aggregate_staged: add up the finer breakdown rows of `staged` (e.g. AfC bands within a staff
--   group) to one row per month, organisation, staff group, breakdown and measure, as `staged_total`.
--   A cell that is not a number, or is negative, is passed on as written (from its own row) so
--   validation names it; a missing (suppressed) part makes the total missing, never a smaller sum.
--   Two rows with the same finer breakdown are a duplicate, reported as a problem.
-- params: none. columns: as stage_csv.sql
CREATE OR REPLACE TEMP TABLE staged_total AS
WITH parts AS (
    SELECT *,
        NOT wf_missing(value_text) AND coalesce(wf_number(value_text) < 0, true) AS bad,
        wf_missing(value_text) AS missing,
        count(*) OVER (PARTITION BY period_text, org_code, staff_group, breakdown, breakdown_value,
                       measure, detail) AS copies
    FROM staged
)
SELECT
    CASE WHEN bool_or(bad) THEN min(row_no) FILTER (WHERE bad)
         WHEN max(copies) > 1 THEN max(row_no) FILTER (WHERE copies > 1)
         ELSE min(row_no) END AS row_no,
    period_text, org_code, staff_group, breakdown, breakdown_value, measure,
    CASE WHEN bool_or(bad) THEN arg_min(value_text, row_no) FILTER (WHERE bad)
         WHEN bool_or(missing) THEN ''
         ELSE CAST(sum(wf_number(value_text)) AS VARCHAR) END AS value_text,
    any_value(value_column) AS value_column,
    '' AS detail,
    NULL::VARCHAR AS skip_reason,
    CASE WHEN max(copies) > 1 AND NOT bool_or(bad) THEN 'org_code' END AS problem_column,
    CASE WHEN max(copies) > 1 AND NOT bool_or(bad) THEN org_code END AS problem_value,
    CASE WHEN max(copies) > 1 AND NOT bool_or(bad)
         THEN 'duplicate row: the same organisation, staff group, month and breakdown (' ||
              arg_max(detail, copies) || ') appear more than once' END AS problem
FROM parts
GROUP BY period_text, org_code, staff_group, breakdown, breakdown_value, measure
