-- stage_staff_survey: NHS Staff Survey organisation results, one row per organisation and survey
--   year (respondents, eligible staff, the staff engagement score, the % satisfied with flexible
--   working (q4d) and People Promise element scores, all 0–10) into `staged`. Scores are averages,
--   which cannot be added up, so each is stored as its additive component: score × respondents
--   (survey_engagement_sum, survey_<element>_sum); the % satisfied becomes a count of respondents
--   (survey_flexible_satisfied). A score with no measure in config.yaml is skipped with a reason.
--   The survey year is stored in October of that year (the fieldwork month), unless a month is given.
-- grain: one row per (file row, measure); row_no is the file's row.
-- params: $path, $columns, $skip (see stage_csv.sql), $present (canonical columns in the file),
--   $all_staff_groups, $measures (the measure ids config.yaml knows).
-- columns: as stage_csv.sql
CREATE OR REPLACE TEMP TABLE staged AS
WITH source AS (
    SELECT NULL::VARCHAR AS source_row, NULL::VARCHAR AS year, NULL::VARCHAR AS period,
           NULL::VARCHAR AS eligible, NULL::VARCHAR AS engagement, NULL::VARCHAR AS flexible_pct,
           NULL::VARCHAR AS compassionate_inclusive, NULL::VARCHAR AS recognised_rewarded,
           NULL::VARCHAR AS voice_counts, NULL::VARCHAR AS safe_healthy, NULL::VARCHAR AS always_learning,
           NULL::VARCHAR AS work_flexibly, NULL::VARCHAR AS team, NULL::VARCHAR AS morale
    WHERE false
    UNION ALL BY NAME
    SELECT * FROM wf_file($path, $skip, $columns)
),
file_rows AS (
    SELECT
        wf_row_no(source_row, file_row, $skip) AS row_no,
        CASE WHEN list_contains($present, 'period') THEN coalesce(wf_month(period), wf_text(period))
             WHEN TRY_CAST(wf_text(year) AS INTEGER) BETWEEN 1990 AND 2200 THEN wf_text(year) || '-10'
             ELSE coalesce(wf_month(year), wf_text(year)) END AS period_text,
        upper(wf_text(org_code)) AS org_code,
        wf_text(respondents) AS respondents_text,
        respondents, eligible, engagement, flexible_pct, compassionate_inclusive, recognised_rewarded,
        voice_counts, safe_healthy, always_learning, work_flexibly, team, morale
    FROM source
),
components AS (
    SELECT row_no, period_text, org_code, respondents_text,
           unnest([
               {'measure': 'survey_respondents', 'col': 'respondents', 'kind': 'count', 'cell': respondents},
               {'measure': 'survey_eligible', 'col': 'eligible', 'kind': 'count', 'cell': eligible},
               {'measure': 'survey_engagement_sum', 'col': 'engagement', 'kind': 'score', 'cell': engagement},
               {'measure': 'survey_flexible_satisfied', 'col': 'flexible_pct', 'kind': 'percent', 'cell': flexible_pct},
               {'measure': 'survey_compassionate_inclusive_sum', 'col': 'compassionate_inclusive', 'kind': 'score', 'cell': compassionate_inclusive},
               {'measure': 'survey_recognised_rewarded_sum', 'col': 'recognised_rewarded', 'kind': 'score', 'cell': recognised_rewarded},
               {'measure': 'survey_voice_counts_sum', 'col': 'voice_counts', 'kind': 'score', 'cell': voice_counts},
               {'measure': 'survey_safe_healthy_sum', 'col': 'safe_healthy', 'kind': 'score', 'cell': safe_healthy},
               {'measure': 'survey_always_learning_sum', 'col': 'always_learning', 'kind': 'score', 'cell': always_learning},
               {'measure': 'survey_work_flexibly_sum', 'col': 'work_flexibly', 'kind': 'score', 'cell': work_flexibly},
               {'measure': 'survey_team_sum', 'col': 'team', 'kind': 'score', 'cell': team},
               {'measure': 'survey_morale_sum', 'col': 'morale', 'kind': 'score', 'cell': morale}
           ], recursive := true)
    FROM file_rows
),
valued AS (
    SELECT *,
        wf_text(cell) AS cell_text,
        wf_number(rtrim(wf_text(cell), '%')) AS amount,
        wf_number(respondents_text) AS respondents_number
    FROM components
    WHERE list_contains($present, col)
)
SELECT
    row_no, period_text, org_code, $all_staff_groups AS staff_group, '' AS breakdown, '' AS breakdown_value,
    measure,
    CASE WHEN kind = 'count' THEN cell_text
         WHEN wf_missing(cell_text) THEN ''
         WHEN amount IS NULL THEN cell_text
         WHEN respondents_number IS NULL THEN ''  -- respondents missing or wrong: reported on its own row
         WHEN kind = 'percent' THEN CAST(amount / 100 * respondents_number AS VARCHAR)
         ELSE CAST(amount * respondents_number AS VARCHAR) END AS value_text,
    col AS value_column,
    '' AS detail,
    CASE WHEN NOT list_contains($measures, measure)
         THEN 'a score with no measure in config.yaml (add ' || measure || ' to measures to keep it)' END
        AS skip_reason,
    CASE WHEN kind = 'score' AND NOT amount BETWEEN 0 AND 10 THEN col
         WHEN kind = 'percent' AND NOT amount BETWEEN 0 AND 100 THEN col END AS problem_column,
    CASE WHEN kind <> 'count' AND NOT amount BETWEEN 0 AND (CASE kind WHEN 'score' THEN 10 ELSE 100 END)
         THEN cell_text END AS problem_value,
    CASE WHEN kind = 'score' AND NOT amount BETWEEN 0 AND 10 THEN 'is not a score between 0 and 10'
         WHEN kind = 'percent' AND NOT amount BETWEEN 0 AND 100 THEN 'is not a percentage between 0 and 100'
    END AS problem
FROM valued
