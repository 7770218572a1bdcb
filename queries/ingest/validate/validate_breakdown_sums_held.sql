-- ingest/validate/validate_breakdown_sums_held: the breakdown check across loads. A total and its breakdown
--   rows as they would stand once this file is loaded — the file's figures replace the database's on
--   the same key, the database's other figures stay — where some part comes from the database (a
--   breakdown loaded after its total, a total corrected on its own). Breakdown rows adding up to more
--   than their total are refused, as validate_breakdown_sums does within one file (allowing 0.5 per
--   breakdown row or 0.1%, whichever is larger). Reported on the file's row: its total, or the first
--   of its breakdown rows.
-- params: $max_problems. columns: row_no, column_name, value, problem, total_problems
WITH mine AS (
    SELECT period, org_code, staff_group, breakdown, breakdown_value, measure, value, row_no
    FROM parsed WHERE period IS NOT NULL AND value IS NOT NULL
),
touched AS (SELECT DISTINCT period, org_code, staff_group, measure FROM mine),
after AS (
    SELECT period, org_code, staff_group, measure, breakdown, breakdown_value, value, row_no,
           CAST(NULL AS BIGINT) AS load_id
    FROM mine
    UNION ALL
    SELECT f.period, f.org_code, f.staff_group, f.measure, f.breakdown, f.breakdown_value, f.value,
           CAST(NULL AS BIGINT), f.load_id
    FROM fact f
    JOIN touched t USING (period, org_code, staff_group, measure)
    ANTI JOIN mine m USING (period, org_code, staff_group, measure, breakdown, breakdown_value)
    WHERE f.value IS NOT NULL
),
parts AS (
    SELECT period, org_code, staff_group, measure, breakdown, sum(value) AS amount, count(*) AS rows_in,
           min(row_no) AS file_row, max(load_id) AS held_from
    FROM after GROUP BY ALL
),
broken AS (
    SELECT b.period, b.org_code, b.staff_group, b.measure, t.amount AS total, b.breakdown, b.amount, b.rows_in,
           coalesce(t.file_row, b.file_row) AS row_no, t.file_row IS NOT NULL AS total_in_file,
           coalesce(b.held_from, t.held_from) AS held_from, t.held_from AS total_from
    FROM parts b
    JOIN parts t ON t.period = b.period AND t.org_code = b.org_code AND t.staff_group = b.staff_group
                AND t.measure = b.measure AND t.breakdown = ''
    WHERE b.breakdown <> '' AND (b.held_from IS NOT NULL OR t.held_from IS NOT NULL)
      AND b.amount > t.amount + greatest(0.5 * b.rows_in, 0.001 * t.amount)
      AND coalesce(t.file_row, b.file_row) IS NOT NULL
),
described AS (
    SELECT k.row_no, coalesce(r.value_column, 'value') AS column_name, r.value_text AS value,
           CASE WHEN k.total_in_file
                THEN 'is less than its ' || k.breakdown || ' rows add up to (' || round(k.amount, 2) || ' over '
                     || k.rows_in || ' rows, held in the database from load ' || k.held_from || ' ('
                     || coalesce(l.file, '?') || ')): the total and its breakdown would disagree'
                ELSE 'makes the ' || k.breakdown || ' rows add up to ' || round(k.amount, 2) || ', more than the '
                     || k.measure || ' total of ' || regexp_replace(CAST(k.total AS VARCHAR), '\.0$', '')
                     || ' held in the database from load ' || k.total_from || ' (' || coalesce(l.file, '?')
                     || '): the total and its breakdown would disagree' END AS problem
    FROM (SELECT * FROM broken ORDER BY row_no LIMIT $max_problems) k
    JOIN parsed r ON r.row_no = k.row_no AND r.measure = k.measure
    LEFT JOIN load l ON l.load_id = CASE WHEN k.total_in_file THEN k.held_from ELSE k.total_from END
)
SELECT row_no, column_name, value, problem, (SELECT count(*) FROM broken) AS total_problems
FROM (SELECT DISTINCT * FROM described)
ORDER BY row_no
LIMIT $max_problems
