-- ingest/validate/validate_breakdown_sums: a total that is smaller than its own breakdown rows add up to (e.g.
--   headcount by ethnicity adding up to more than the headcount): totals and breakdown rows
--   disagree. Allows 0.5 per breakdown row (rounding to whole numbers) or 0.1%, whichever is larger.
--   From `key_summary` (totals are its breakdown '' groups) in one aggregation, never row by row,
--   over only the figures that have breakdown rows, grouped by month and `total_series`.
-- params: $max_problems. columns: row_no, column_name, value, problem, total_problems
WITH broken_down AS (SELECT DISTINCT total_series FROM key_summary WHERE breakdown <> ''),
compared AS (
    SELECT
        max(first_row) FILTER (WHERE breakdown = '') AS row_no,
        max(amount) FILTER (WHERE breakdown = '') AS total,
        max(parts) FILTER (WHERE breakdown = '') AS total_rows,
        arg_max(breakdown, amount - 0.5 * parts) FILTER (WHERE breakdown <> '') AS breakdown,
        arg_max(amount, amount - 0.5 * parts) FILTER (WHERE breakdown <> '') AS amount,
        arg_max(parts, amount - 0.5 * parts) FILTER (WHERE breakdown <> '') AS parts,
        arg_max(first_row, amount - 0.5 * parts) FILTER (WHERE breakdown <> '') AS parts_row
    FROM key_summary
    SEMI JOIN broken_down USING (total_series)
    GROUP BY period, total_series
),
problems AS (
    SELECT row_no, 'value' AS column_name, regexp_replace(CAST(total AS VARCHAR), '\.0$', '') AS value,
           'is less than its ' || breakdown || ' rows add up to (' || round(amount, 2) || ' over '
               || parts || ' rows, from row ' || parts_row || '): the total and its breakdown disagree' AS problem
    FROM compared
    WHERE total_rows = 1 AND amount > total + greatest(0.5 * parts, 0.001 * total)
)
SELECT row_no, column_name, value, problem, count(*) OVER () AS total_problems
FROM problems
ORDER BY row_no
LIMIT $max_problems
