-- ingest/validate/summarise_keys: the one pass over a parsed file that every check starts from, kept as
--   `key_summary`: grouped by (month, organisation, staff group, measure, breakdown), each group's
--   rows, its breakdown values as a bit set over the known values (a value given twice shows as
--   more rows than values; an unknown value sets bit 63), its values' count, sum, least and
--   greatest, its first row, its suppressed cells, its adapter problems and its months written
--   other than YYYY-MM.
-- params: $breakdown_value_list (every known breakdown value and '', at most 63).
-- columns: period, org_code, staff_group, measure, breakdown, parts, value_bits, numbers, amount,
--   least, greatest, first_row, rows_missing, adapter_problems, odd_periods
CREATE OR REPLACE TEMP TABLE key_summary AS
SELECT period, org_code, staff_group, measure, breakdown,
       count(*) AS parts,
       bit_or(CAST(1 AS UBIGINT) << (coalesce(list_position($breakdown_value_list, breakdown_value), 64) - 1))
           AS value_bits,
       count(value) AS numbers,
       sum(value) AS amount,
       min(value) AS least,
       max(value) AS greatest,
       min(row_no) AS first_row,
       count(*) FILTER (WHERE suppressed) AS rows_missing,
       count(problem) AS adapter_problems,
       count(*) FILTER (WHERE length(period_text) <> 7 AND coalesce(problem_column, '') <> 'period') AS odd_periods
FROM parsed
GROUP BY period, org_code, staff_group, measure, breakdown
