-- stage_frame: copy a registered data frame `frame` (long template columns, already typed, e.g. from
--   the demo generator or an adapter) into the temporary table `staged`, cells as text.
-- params: none. columns: as stage_csv
CREATE OR REPLACE TEMP TABLE staged AS
SELECT
    row_number() OVER () + 1 AS row_no,
    strftime(CAST(period AS DATE), '%Y-%m') AS period_text,
    org_code,
    staff_group,
    coalesce(breakdown, '') AS breakdown,
    coalesce(breakdown_value, '') AS breakdown_value,
    measure,
    coalesce(CAST(value AS VARCHAR), '') AS value_text
FROM frame
