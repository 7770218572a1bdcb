-- stage_nhsd_turnover: NHS Digital organisation-level turnover file ('Org code', 'Period' such as
--   '202403 to 202503', 'Joiner', 'Leaver', 'Denominator at start of period', 'Denominator at end of
--   period'; '.' = not available) into `staged`:
--   - headcount at the start month (the denominator at start) and at the end month (at end);
--   - leavers and joiners: the file gives 12-month totals, and the dashboard sums monthly flows over
--     a rolling 12 months, so each total is spread evenly over the period's 12 months (the rolling
--     sum at the end month then equals the published total exactly).
--   FTE rows ('Type' = FTE) and finer breakdown rows (an AfC band, care setting … other than 'All …')
--   are skipped with their reason. Where periods in one file overlap, the later period's figures
--   are kept for the months they share and the earlier ones are skipped.
-- grain: one row per (file row, measure, month); row_no is the file's row.
-- params: $path, $columns, $skip (see stage_csv.sql), $present (canonical columns in the file),
--   $all_staff_groups (label for whole-organisation rows when the file has no staff group column).
-- columns: as stage_csv.sql
CREATE OR REPLACE TEMP TABLE staged AS
WITH source AS (
    SELECT NULL::VARCHAR AS source_row, NULL::VARCHAR AS joiners, NULL::VARCHAR AS headcount_start,
           NULL::VARCHAR AS headcount_end, NULL::VARCHAR AS type, NULL::VARCHAR AS staff_group,
           NULL::VARCHAR AS care_setting, NULL::VARCHAR AS afc_band, NULL::VARCHAR AS grade,
           NULL::VARCHAR AS age_band, NULL::VARCHAR AS nationality
    WHERE false
    UNION ALL BY NAME
    SELECT * FROM wf_file($path, $skip, $columns)
),
file_rows AS (
    SELECT
        wf_row_no(source_row, file_row, $skip) AS row_no,
        wf_text(period) AS period_raw,
        wf_month(split_part(lower(wf_text(period)), ' to ', 1)) AS start_month,
        wf_month(split_part(lower(wf_text(period)), ' to ', 2)) AS end_month,
        upper(wf_text(org_code)) AS org_code,
        CASE WHEN list_contains($present, 'staff_group') THEN wf_text(staff_group) ELSE $all_staff_groups END
            AS staff_group,
        CASE WHEN lower(wf_text(type)) IN ('fte', 'full time equivalent', 'full-time equivalent')
                 THEN 'FTE figures (the leaver rate uses headcount: the HC rows are loaded)'
             WHEN NOT list_bool_and([c = '' OR starts_with(c, 'all') FOR c IN
                      [lower(wf_text(care_setting)), lower(wf_text(afc_band)), lower(wf_text(grade)),
                       lower(wf_text(age_band)), lower(wf_text(nationality))]])
                 THEN 'a finer breakdown (AfC band, care setting, grade, age or nationality); the ''All …'' rows are loaded'
        END AS skip_reason,
        leavers, joiners, headcount_start, headcount_end
    FROM source
),
checked AS (
    SELECT *,
        start_month IS NOT NULL AND end_month IS NOT NULL
            AND date_diff('month', strptime(start_month, '%Y-%m'), strptime(end_month, '%Y-%m')) = 12 AS twelve_months
    FROM file_rows
),
components AS (
    SELECT row_no, start_month AS period_text, org_code, staff_group, skip_reason,
           'headcount' AS measure, wf_text(headcount_start) AS value_text, 'headcount_start' AS value_column,
           end_month AS window_end, NULL::VARCHAR AS problem_value, NULL::VARCHAR AS problem
    FROM checked WHERE twelve_months AND list_contains($present, 'headcount_start')
    UNION ALL
    SELECT row_no, end_month, org_code, staff_group, skip_reason,
           'headcount', wf_text(headcount_end), 'headcount_end', end_month, NULL, NULL
    FROM checked WHERE twelve_months AND list_contains($present, 'headcount_end')
    UNION ALL
    SELECT c.row_no, strftime(strptime(c.start_month, '%Y-%m') + to_months(k.k), '%Y-%m'), c.org_code,
           c.staff_group, c.skip_reason, f.measure,
           CASE WHEN wf_missing(f.cell) OR wf_number(f.cell) IS NULL THEN wf_text(f.cell)
                ELSE CAST(wf_number(f.cell) / 12 AS VARCHAR) END,
           f.measure, c.end_month, NULL, NULL
    FROM checked c
    CROSS JOIN range(1, 13) k(k)
    CROSS JOIN LATERAL (SELECT unnest([{'measure': 'leavers', 'cell': c.leavers},
                                       {'measure': 'joiners', 'cell': c.joiners}], recursive := true)) f
    WHERE c.twelve_months AND list_contains($present, f.measure)
    UNION ALL  -- a period that is not '<month> to <the month 12 later>': one row carrying the problem
    SELECT row_no, coalesce(end_month, period_raw), org_code, staff_group, skip_reason,
           'leavers', '', 'leavers', end_month, period_raw,
           CASE WHEN end_month IS NULL OR start_month IS NULL
                THEN 'is not a period of the form ''202403 to 202503'''
                ELSE 'is not a 12-month period (e.g. ''202403 to 202503'')' END
    FROM checked WHERE NOT twelve_months
)
SELECT
    row_no, period_text, org_code, staff_group, '' AS breakdown, '' AS breakdown_value, measure,
    value_text, value_column, '' AS detail,
    CASE WHEN skip_reason IS NULL AND problem IS NULL
              AND rank() OVER (PARTITION BY skip_reason IS NULL AND problem IS NULL, period_text, org_code,
                                            staff_group, measure
                               ORDER BY window_end DESC) > 1
         THEN 'a month also covered by a later 12-month period in the same file (the later figures are kept)'
         ELSE skip_reason END AS skip_reason,
    CASE WHEN problem IS NOT NULL THEN 'period' END AS problem_column,
    problem_value,
    problem
FROM components
