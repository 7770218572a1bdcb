-- stage_nhsd_workforce: NHS Digital monthly workforce statistics, organisation level (staff in post
--   FTE and headcount by organisation and staff group), into `staged` as fte and headcount rows.
--   Both header styles: 'Org code', 'Staff Group 1', 'Date', 'Total FTE' and ORG_CODE,
--   STAFF_GROUP_1, DATA_MONTH, FTE. Finer breakdown columns (Staff Group 2, Care Setting, Level,
--   AfC Band, …) go into `detail` to be added up to the staff group; headcount is then not added up
--   (people with several roles would be counted twice) and its rows are skipped with that reason.
-- grain: one row per (file row, measure); row_no is the file's row.
-- params: $path, $columns, $skip (see stage_csv.sql), $present (canonical columns in the file),
--   $has_detail (true when a finer breakdown column is present).
-- columns: as stage_csv.sql
CREATE OR REPLACE TEMP TABLE staged AS
WITH source AS (
    SELECT NULL::VARCHAR AS source_row, NULL::VARCHAR AS fte, NULL::VARCHAR AS headcount,
           NULL::VARCHAR AS geography, NULL::VARCHAR AS staff_group_2, NULL::VARCHAR AS care_setting,
           NULL::VARCHAR AS seniority_level, NULL::VARCHAR AS afc_band, NULL::VARCHAR AS job_role,
           NULL::VARCHAR AS area_of_work
    WHERE false
    UNION ALL BY NAME
    SELECT * FROM wf_file($path, $skip, $columns)
),
file_rows AS (
    SELECT
        wf_row_no(source_row, file_row, $skip) AS row_no,
        coalesce(wf_month(period), wf_text(period)) AS period_text,
        upper(wf_text(org_code)) AS org_code,
        wf_text(staff_group) AS staff_group,
        concat_ws(' | ', nullif(wf_text(staff_group_2), ''), nullif(wf_text(care_setting), ''),
                  nullif(wf_text(seniority_level), ''), nullif(wf_text(afc_band), ''),
                  nullif(wf_text(job_role), ''), nullif(wf_text(area_of_work), '')) AS detail,
        CASE WHEN regexp_matches(lower(wf_text(geography)), '(england|national|region|ics|icb|stp|integrated care)')
             THEN 'an England, region or ICS aggregate row' END AS geography_skip,
        fte, headcount
    FROM source
),
components AS (
    SELECT row_no, period_text, org_code, staff_group, detail, geography_skip,
           unnest([{'measure': 'fte', 'cell': fte}, {'measure': 'headcount', 'cell': headcount}], recursive := true)
    FROM file_rows
)
SELECT
    row_no, period_text, org_code, staff_group, '' AS breakdown, '' AS breakdown_value, measure,
    wf_text(cell) AS value_text,
    measure AS value_column,
    detail,
    coalesce(geography_skip,
             CASE WHEN measure = 'headcount' AND $has_detail
                  THEN 'headcount in a file broken down below staff group (people in several roles would be counted twice); FTE is added up instead' END)
        AS skip_reason,
    NULL::VARCHAR AS problem_column,
    NULL::VARCHAR AS problem_value,
    NULL::VARCHAR AS problem
FROM components
WHERE list_contains($present, measure)
