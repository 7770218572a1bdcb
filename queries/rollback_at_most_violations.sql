-- rollback_at_most_violations: the loader's `at_most` check (leavers above headcount …) run on the
--   figures a rollback would leave: every figure in force except the load's own, plus the values
--   it replaced. Only keys whose values the rollback restores can break a rule. Works on the
--   figures as they are (no change made), so a dry run gives the same answer.
-- params: $load_id; $at_most_measure, $at_most_limit (parallel lists); $max_problems.
-- columns: period, org_code, staff_group, breakdown, breakdown_value, measure, value, load_id,
--   file, limit_measure, limit_value, total_problems
WITH rules AS (SELECT unnest($at_most_measure) AS measure, unnest($at_most_limit) AS limit_measure),
restored AS (
    SELECT period, org_code, staff_group, breakdown, breakdown_value, measure, old_value AS value,
           old_load_id AS load_id
    FROM fact_history
    WHERE load_id = $load_id AND existed
),
touched AS (SELECT DISTINCT period, org_code, staff_group, breakdown, breakdown_value FROM restored),
after AS (
    SELECT f.period, f.org_code, f.staff_group, f.breakdown, f.breakdown_value, f.measure, f.value, f.load_id
    FROM fact f
    JOIN touched t USING (period, org_code, staff_group, breakdown, breakdown_value)
    WHERE f.load_id <> $load_id
    UNION ALL
    SELECT * FROM restored
),
broken AS (
    SELECT n.period, n.org_code, n.staff_group, n.breakdown, n.breakdown_value, n.measure, n.value,
           n.load_id, r.limit_measure, l.value AS limit_value
    FROM after n
    JOIN rules r ON r.measure = n.measure
    JOIN after l ON l.measure = r.limit_measure AND l.period = n.period AND l.org_code = n.org_code
                AND l.staff_group = n.staff_group AND l.breakdown = n.breakdown
                AND l.breakdown_value = n.breakdown_value
    WHERE n.value > l.value * (1 + 1e-9)
)
SELECT b.period, b.org_code, b.staff_group, b.breakdown, b.breakdown_value, b.measure, b.value, b.load_id,
       ld.file, b.limit_measure, b.limit_value, count(*) OVER () AS total_problems
FROM broken b
LEFT JOIN load ld ON ld.load_id = b.load_id
ORDER BY b.period, b.org_code, b.staff_group, b.measure
LIMIT $max_problems
