-- ingest/rollback/rollback_breakdown_violations: the loader's breakdown check run on what a rollback would
--   leave: every figure in force except the load's own, plus the values it replaced. Only the totals
--   and breakdowns the rollback changes (their month, organisation, staff group and measure) can
--   break the rule that breakdown rows never add up to more than their total. Works on the figures as
--   they are (no change made), so a dry run gives the same answer.
-- params: $load_id, $max_problems.
-- columns: period, org_code, staff_group, measure, breakdown, amount, total, load_id, file, total_problems
WITH changed AS (
    SELECT DISTINCT period, org_code, staff_group, measure FROM fact WHERE load_id = $load_id
    UNION
    SELECT DISTINCT period, org_code, staff_group, measure FROM fact_history WHERE load_id = $load_id
),
after AS (
    SELECT f.period, f.org_code, f.staff_group, f.measure, f.breakdown, f.value, f.load_id
    FROM fact f JOIN changed USING (period, org_code, staff_group, measure)
    WHERE f.load_id <> $load_id AND f.value IS NOT NULL
    UNION ALL
    SELECT period, org_code, staff_group, measure, breakdown, old_value, old_load_id
    FROM fact_history
    WHERE load_id = $load_id AND existed AND old_value IS NOT NULL
),
parts AS (
    SELECT period, org_code, staff_group, measure, breakdown, sum(value) AS amount, count(*) AS rows_in,
           max(load_id) AS load_id
    FROM after GROUP BY ALL
),
broken AS (
    SELECT b.period, b.org_code, b.staff_group, b.measure, b.breakdown, b.amount, t.amount AS total, b.load_id
    FROM parts b
    JOIN parts t ON t.period = b.period AND t.org_code = b.org_code AND t.staff_group = b.staff_group
                AND t.measure = b.measure AND t.breakdown = ''
    WHERE b.breakdown <> '' AND b.amount > t.amount + greatest(0.5 * b.rows_in, 0.001 * t.amount)
)
SELECT b.period, b.org_code, b.staff_group, b.measure, b.breakdown, b.amount, b.total, b.load_id, l.file,
       count(*) OVER () AS total_problems
FROM broken b
LEFT JOIN load l ON l.load_id = b.load_id
ORDER BY b.period, b.org_code, b.staff_group, b.measure
LIMIT $max_problems
