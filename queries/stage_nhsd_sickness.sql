-- stage_nhsd_sickness: NHS Digital sickness absence rates, organisation level (ORG_CODE, DATE,
--   FTE_DAYS_LOST, FTE_DAYS_AVAILABLE; older files 'FTE Days Sick'), optionally by STAFF_GROUP
--   (the benchmarking file), into `staged` as fte_days_lost and fte_days_available rows. The rate
--   column is ignored: the dashboard recomputes it from the days. Blanked (suppressed) cells stay
--   blank and are stored as missing.
-- grain: one row per (file row, measure); row_no is the file's row.
-- params: $path, $columns, $skip (see stage_csv.sql), $present (canonical columns in the file),
--   $all_staff_groups (label for whole-organisation rows when the file has no staff group column).
-- columns: as stage_csv.sql
CREATE OR REPLACE TEMP TABLE staged AS
WITH source AS (
    SELECT NULL::VARCHAR AS source_row, NULL::VARCHAR AS staff_group, NULL::VARCHAR AS geography
    WHERE false
    UNION ALL BY NAME
    SELECT * FROM wf_file($path, $skip, $columns)
),
file_rows AS (
    SELECT
        wf_row_no(source_row, file_row, $skip) AS row_no,
        coalesce(wf_month(period), wf_text(period)) AS period_text,
        upper(wf_text(org_code)) AS org_code,
        CASE WHEN list_contains($present, 'staff_group') THEN wf_text(staff_group) ELSE $all_staff_groups END
            AS staff_group,
        CASE WHEN regexp_matches(lower(wf_text(geography)), '(england|national|region|ics|icb|stp|integrated care)')
             THEN 'an England, region or ICS aggregate row' END AS geography_skip,
        fte_days_lost, fte_days_available
    FROM source
),
components AS (
    SELECT row_no, period_text, org_code, staff_group, geography_skip,
           unnest([{'measure': 'fte_days_lost', 'cell': fte_days_lost},
                   {'measure': 'fte_days_available', 'cell': fte_days_available}], recursive := true)
    FROM file_rows
)
SELECT
    row_no, period_text, org_code, staff_group, '' AS breakdown, '' AS breakdown_value, measure,
    wf_text(cell) AS value_text,
    measure AS value_column,
    '' AS detail,
    geography_skip AS skip_reason,
    NULL::VARCHAR AS problem_column,
    NULL::VARCHAR AS problem_value,
    NULL::VARCHAR AS problem
FROM components
