-- stage_frame: a registered data frame `frame` (long template columns, already typed — the demo
--   generator's path) straight into `parsed_base`, as parse_staged would make it (rows numbered
--   from their order by the `parsed` view), kept compressed in the loader's staging database like
--   stage_csv's; a value's text is kept only for a missing value.
-- params: none. columns: as stage_csv.sql (read through create_parsed_view_template.sql)
CREATE OR REPLACE TABLE stage.parsed_base AS
SELECT
    NULL::BIGINT AS row_no,
    strftime(CAST(period AS DATE), '%Y-%m') AS period_text,
    CAST(date_trunc('month', CAST(period AS DATE)) AS DATE) AS period,
    CAST(org_code AS VARCHAR) AS org_code,
    CAST(staff_group AS VARCHAR) AS staff_group,
    coalesce(CAST(breakdown AS VARCHAR), '') AS breakdown,
    coalesce(CAST(breakdown_value AS VARCHAR), '') AS breakdown_value,
    CAST(measure AS VARCHAR) AS measure,
    CASE WHEN "value" IS NULL THEN '' END AS value_text,
    CAST("value" AS DOUBLE) AS value
FROM frame
