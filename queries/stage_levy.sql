-- stage_levy: an apprenticeship levy account statement by month (funds in, payments for training,
--   transfers out to other employers, expired funds; '£', thousands separators and accounting
--   brackets allowed) into `staged` as levy_funds_available, levy_drawn_down, levy_transferred_out
--   and levy_expired for the whole organisation. Statements often show money leaving the account
--   as negative: a column whose figures are all zero or below is read as money out (its sign
--   dropped); a column mixing signs keeps them, and its negative figures are reported.
-- grain: one row per (file row, measure); row_no is the file's row.
-- params: $path, $columns, $skip (see stage_csv.sql), $present (canonical columns in the file),
--   $all_staff_groups.
-- columns: as stage_csv.sql
CREATE OR REPLACE TEMP TABLE staged AS
WITH source AS (
    SELECT NULL::VARCHAR AS source_row, NULL::VARCHAR AS transfers_out, NULL::VARCHAR AS expired
    WHERE false
    UNION ALL BY NAME
    SELECT * FROM wf_file($path, $skip, $columns)
),
file_rows AS (
    SELECT
        wf_row_no(source_row, file_row, $skip) AS row_no,
        coalesce(wf_month(period), wf_text(period)) AS period_text,
        upper(wf_text(org_code)) AS org_code,
        funds_in, payments, transfers_out, expired
    FROM source
),
components AS (
    SELECT row_no, period_text, org_code,
           unnest([{'measure': 'levy_funds_available', 'col': 'funds_in', 'cell': funds_in},
                   {'measure': 'levy_drawn_down', 'col': 'payments', 'cell': payments},
                   {'measure': 'levy_transferred_out', 'col': 'transfers_out', 'cell': transfers_out},
                   {'measure': 'levy_expired', 'col': 'expired', 'cell': expired}], recursive := true)
    FROM file_rows
),
cleaned AS (
    SELECT *,
        wf_text(cell) AS cell_text,
        replace(replace(replace(wf_text(cell), '£', ''), ' ', ''), ',', '') AS plain
    FROM components
    WHERE list_contains($present, col)
),
amounts AS (
    SELECT *,
        CASE WHEN regexp_full_match(plain, '\(.*\)') THEN -TRY_CAST(plain[2:-2] AS DOUBLE)
             ELSE TRY_CAST(plain AS DOUBLE) END AS amount
    FROM cleaned
),
signed AS (
    SELECT *,
        measure <> 'levy_funds_available' AND max(amount) OVER (PARTITION BY measure) <= 0 AS money_out
    FROM amounts
)
SELECT
    row_no, period_text, org_code, $all_staff_groups AS staff_group, '' AS breakdown, '' AS breakdown_value,
    measure,
    CASE WHEN amount IS NULL THEN cell_text
         WHEN money_out THEN CAST(abs(amount) AS VARCHAR)
         ELSE CAST(amount AS VARCHAR) END AS value_text,
    col AS value_column,
    '' AS detail,
    NULL::VARCHAR AS skip_reason,
    NULL::VARCHAR AS problem_column,
    NULL::VARCHAR AS problem_value,
    NULL::VARCHAR AS problem
FROM signed
