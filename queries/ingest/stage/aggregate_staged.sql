-- ingest/stage/aggregate_staged: add up the finer breakdown rows of `staged` (grades, care settings, specialties,
--   transactions) to one row per month, organisation, staff group, breakdown and measure, as
--   `staged_total`. A cell that is not a number, or is negative, is passed on as written (from its
--   own row) so validation names it; a missing (suppressed) part makes the total missing, never a
--   smaller sum. Two rows with the same finer breakdown are a duplicate: the problem is put on the
--   second copy's row and names every repeated breakdown of that total with all its rows.
-- params: none. columns: as ingest/stage/stage_csv.sql
CREATE OR REPLACE TEMP TABLE staged_total AS
WITH parts AS (
    SELECT *,
        NOT wf_missing(value_text) AND coalesce(wf_number(value_text) < 0, true) AS bad,
        wf_missing(value_text) AS missing
    FROM staged
),
repeats AS (
    SELECT period_text, org_code, staff_group, breakdown, breakdown_value, measure, detail,
           list(row_no ORDER BY row_no) AS rows
    FROM parts
    GROUP BY ALL
    HAVING count(*) > 1
),
repeated AS (
    SELECT period_text, org_code, staff_group, breakdown, breakdown_value, measure,
           min(rows[2]) AS second_row,
           string_agg('(' || detail || ') at rows ' || array_to_string(rows, ', '), '; ' ORDER BY rows[1])
               AS said
    FROM repeats
    GROUP BY ALL
),
totals AS (
    SELECT
        period_text, org_code, staff_group, breakdown, breakdown_value, measure,
        bool_or(bad) AS any_bad, min(row_no) FILTER (WHERE bad) AS bad_row, min(row_no) AS first_row,
        CASE WHEN bool_or(bad) THEN arg_min(value_text, row_no) FILTER (WHERE bad)
             WHEN bool_or(missing) THEN ''
             ELSE CAST(sum(wf_number(value_text)) AS VARCHAR) END AS value_text,
        any_value(value_column) AS value_column
    FROM parts
    GROUP BY period_text, org_code, staff_group, breakdown, breakdown_value, measure
)
SELECT
    CASE WHEN t.any_bad THEN t.bad_row WHEN r.second_row IS NOT NULL THEN r.second_row ELSE t.first_row END
        AS row_no,
    t.period_text, t.org_code, t.staff_group, t.breakdown, t.breakdown_value, t.measure, t.value_text,
    t.value_column,
    '' AS detail,
    NULL::VARCHAR AS skip_reason,
    CASE WHEN r.said IS NOT NULL AND NOT t.any_bad THEN 'org_code' END AS problem_column,
    CASE WHEN r.said IS NOT NULL AND NOT t.any_bad THEN t.org_code END AS problem_value,
    CASE WHEN r.said IS NOT NULL AND NOT t.any_bad
         THEN 'duplicate rows: the same organisation, staff group, month and breakdown appear more than once — '
              || r.said END AS problem
FROM totals t
LEFT JOIN repeated r USING (period_text, org_code, staff_group, breakdown, breakdown_value, measure)
