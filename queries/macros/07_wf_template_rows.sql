-- macros/07_wf_template_rows: a long-template CSV's rows, typed, in file order (ingest/stage/stage_csv.sql and
--   ingest/stage/insert_direct_parsed_base.sql store them). row_no is NULL unless the file was rewritten with its rows'
--   numbers (source_row); a value's text is kept only where it is not a plain number (the `parsed`
--   view writes plain numbers back), so little but the figures is stored.
-- params: path (a UTF-8 CSV), cols (struct: a name for each column, each 'VARCHAR'), skip_rows.
-- columns: row_no, period_text, period, org_code, staff_group, breakdown, breakdown_value, measure,
--   value_text, value
CREATE OR REPLACE TEMP MACRO wf_template_rows(path, cols, skip_rows) AS TABLE
    WITH source AS (
        SELECT NULL::VARCHAR AS source_row, NULL::VARCHAR AS breakdown, NULL::VARCHAR AS breakdown_value
        WHERE false
        UNION ALL BY NAME
        SELECT * FROM read_csv(path, auto_detect = false, header = true, skip = skip_rows, columns = cols,
                               delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false)
    )
    SELECT
        TRY_CAST(source_row AS BIGINT) AS row_no,
        coalesce(period, '') AS period_text,
        TRY_CAST(period || '-01' AS DATE) AS period,
        coalesce(org_code, '') AS org_code,
        coalesce(staff_group, '') AS staff_group,
        coalesce(breakdown, '') AS breakdown,
        coalesce(breakdown_value, '') AS breakdown_value,
        coalesce(measure, '') AS measure,
        CASE WHEN TRY_CAST("value" AS DOUBLE) IS NULL THEN coalesce("value", '') END AS value_text,
        coalesce(TRY_CAST("value" AS DOUBLE), wf_number("value")) AS value
    FROM source
