-- ingest/validate/summarise_keys: the one pass over a parsed file that every check starts from, kept as
--   `key_summary`: grouped by (month, organisation, staff group, measure, breakdown), each group's
--   rows, its breakdown values as a bit set over the known values (a value given twice shows as
--   more rows than values; an unknown value sets bit 63), its values' count, sum, least and
--   greatest, its first row, its suppressed cells, its adapter problems, its months written
--   other than YYYY-MM and its values that are not whole numbers.
--   The file's (organisation, staff group, measure, breakdown) are numbered first (`series`, a few
--   thousand), so the aggregation groups by a month and a number rather than five texts, and each
--   breakdown value finds its bit by a join (national demo, 13.7 M rows: 6 s CPU instead of 9.5 s).
-- params: $breakdown_value_list (every known breakdown value and '', at most 63).
-- columns: period, org_code, staff_group, measure, breakdown, total_series (a number for the
--   organisation, staff group and measure: its total and breakdown groups share it), parts,
--   value_bits, numbers, amount, least, greatest, first_row, rows_missing, adapter_problems,
--   odd_periods, fractions
CREATE OR REPLACE TEMP TABLE key_summary AS
WITH bits AS (
    SELECT unnest($breakdown_value_list) AS breakdown_value,
           CAST(1 AS UBIGINT) << (generate_subscripts($breakdown_value_list, 1) - 1) AS bit
),
series AS (
    SELECT org_code, staff_group, measure, breakdown, row_number() OVER () AS series,
           dense_rank() OVER (ORDER BY org_code, staff_group, measure) AS total_series
    FROM (SELECT DISTINCT org_code, staff_group, measure, breakdown FROM parsed)
),
grouped AS (
    SELECT p.period, s.series,
           count(*) AS parts,
           bit_or(coalesce(b.bit, CAST(1 AS UBIGINT) << 63)) AS value_bits,
           count(p.value) AS numbers,
           sum(p.value) AS amount,
           min(p.value) AS least,
           max(p.value) AS greatest,
           min(p.row_no) AS first_row,
           count(*) FILTER (WHERE p.suppressed) AS rows_missing,
           count(p.problem) AS adapter_problems,
           count(*) FILTER (WHERE length(p.period_written) <> 7 AND coalesce(p.problem_column, '') <> 'period')
               AS odd_periods,
           count(*) FILTER (WHERE p.value <> floor(p.value)) AS fractions
    FROM parsed p
    JOIN series s ON s.org_code IS NOT DISTINCT FROM p.org_code AND s.staff_group IS NOT DISTINCT FROM p.staff_group
                 AND s.measure IS NOT DISTINCT FROM p.measure AND s.breakdown IS NOT DISTINCT FROM p.breakdown
    LEFT JOIN bits b ON b.breakdown_value = p.breakdown_value
    GROUP BY p.period, s.series
)
SELECT g.period, s.org_code, s.staff_group, s.measure, s.breakdown, s.total_series, g.parts, g.value_bits, g.numbers, g.amount,
       g.least, g.greatest, g.first_row, g.rows_missing, g.adapter_problems, g.odd_periods,
       g.fractions
FROM grouped g
JOIN series s USING (series)
