-- ingest/rollback/rollback_at_most_violations: the loader's `at_most` check (leavers above headcount …) run on the
--   figures a rollback would leave: every figure in force except the load's own, plus the values
--   it replaced. A flow's limit that is a stock is, as in validate_at_most, the larger of the stock
--   at the end of the month and at the end of the month before. Only the organisation/staff group/
--   breakdown keys whose values the rollback restores, in the months it restores and the months
--   after them, can break a rule. Works on the figures as they are (no change made), so a dry run
--   gives the same answer.
-- params: $load_id; $at_most_measure, $at_most_limit, $at_most_shift (parallel lists); $max_problems.
-- columns: period, org_code, staff_group, breakdown, breakdown_value, measure, value, load_id,
--   file, limit_measure, limit_value, total_problems
WITH rules AS (SELECT unnest($at_most_measure) AS measure, unnest($at_most_limit) AS limit_measure,
                      unnest($at_most_shift) AS shift),
restored AS (
    SELECT period, org_code, staff_group, breakdown, breakdown_value, measure, old_value AS value,
           old_load_id AS load_id
    FROM fact_history
    WHERE load_id = $load_id AND existed
),
keys AS (SELECT DISTINCT org_code, staff_group, breakdown, breakdown_value FROM restored),
checked AS (
    SELECT DISTINCT org_code, staff_group, breakdown, breakdown_value, period FROM restored
    UNION
    SELECT DISTINCT org_code, staff_group, breakdown, breakdown_value, CAST(period + INTERVAL 1 MONTH AS DATE)
    FROM restored
),
after AS (
    SELECT f.period, f.org_code, f.staff_group, f.breakdown, f.breakdown_value, f.measure, f.value, f.load_id
    FROM fact f
    JOIN keys k USING (org_code, staff_group, breakdown, breakdown_value)
    WHERE f.load_id <> $load_id
    UNION ALL
    SELECT * FROM restored
),
limits AS (
    SELECT a.period, a.org_code, a.staff_group, a.breakdown, a.breakdown_value, r.measure, r.limit_measure,
           a.value AS limit_value
    FROM after a JOIN rules r ON a.measure = r.limit_measure
    WHERE a.value IS NOT NULL
    UNION ALL  -- the stock at the start of the month (the end of the month before)
    SELECT CAST(a.period + INTERVAL 1 MONTH AS DATE), a.org_code, a.staff_group, a.breakdown, a.breakdown_value,
           r.measure, r.limit_measure, a.value
    FROM after a JOIN rules r ON a.measure = r.limit_measure
    WHERE a.value IS NOT NULL AND r.shift
),
largest AS (
    SELECT period, org_code, staff_group, breakdown, breakdown_value, measure, limit_measure,
           max(limit_value) AS limit_value
    FROM limits
    GROUP BY period, org_code, staff_group, breakdown, breakdown_value, measure, limit_measure
),
broken AS (
    SELECT n.period, n.org_code, n.staff_group, n.breakdown, n.breakdown_value, n.measure, n.value,
           n.load_id, l.limit_measure, l.limit_value
    FROM after n
    JOIN checked c USING (org_code, staff_group, breakdown, breakdown_value, period)
    JOIN largest l USING (period, org_code, staff_group, breakdown, breakdown_value, measure)
    WHERE n.value > l.limit_value * (1 + 1e-9)
)
SELECT b.period, b.org_code, b.staff_group, b.breakdown, b.breakdown_value, b.measure, b.value, b.load_id,
       ld.file, b.limit_measure, b.limit_value, count(*) OVER () AS total_problems
FROM broken b
LEFT JOIN load ld ON ld.load_id = b.load_id
ORDER BY b.period, b.org_code, b.staff_group, b.measure
LIMIT $max_problems
