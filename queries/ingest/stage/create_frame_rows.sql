-- ingest/stage/create_frame_rows: `wf_frame_rows()`, the registered data frame `frame` (long template columns,
--   already typed — the demo generator's path) as parse_staged would make it: rows numbered from
--   their order by the `parsed` view, a value's text kept only for a missing value. Made once the
--   frame is registered (a macro binds its tables when it is made); ingest/stage/stage_frame.sql and
--   ingest/stage/insert_direct_frame.sql store its rows.
-- params: none. columns: as ingest/stage/stage_csv.sql
CREATE OR REPLACE TEMP MACRO wf_frame_rows() AS TABLE
    SELECT
        NULL::BIGINT AS row_no,
        CASE WHEN period IS NULL THEN '' END AS period_text,  -- the `parsed` view writes YYYY-MM
        CAST(date_trunc('month', CAST(period AS DATE)) AS DATE) AS period,
        CAST(org_code AS VARCHAR) AS org_code,
        CAST(staff_group AS VARCHAR) AS staff_group,
        coalesce(CAST(breakdown AS VARCHAR), '') AS breakdown,
        coalesce(CAST(breakdown_value AS VARCHAR), '') AS breakdown_value,
        CAST(measure AS VARCHAR) AS measure,
        CASE WHEN "value" IS NULL THEN '' END AS value_text,
        CAST("value" AS DOUBLE) AS value
    FROM frame
