-- ingest/validate/validate_at_most: a figure above the one it can never exceed for the same month, organisation,
--   staff group and breakdown (leavers above headcount, FTE days lost above days available …, from
--   `at_most` in config.yaml). Both figures of each rule are brought together by one aggregation
--   (no self-join); where the file lacks the limit, it is looked up in the database. A flow's limit
--   that is a stock (leavers ≤ headcount) is the larger of the stock at the end of the month and at
--   the end of the month before (the start of the month): a staff group whose only member left
--   ends the month with headcount 0.
-- params: $at_most_measure, $at_most_limit, $at_most_shift (parallel lists), $max_problems.
-- columns: row_no, column_name, value, problem, total_problems
WITH rules AS (SELECT unnest($at_most_measure) AS measure, unnest($at_most_limit) AS limit_measure,
                      unnest($at_most_shift) AS shift),
tagged AS (
    SELECT p.period, p.org_code, p.staff_group, p.breakdown, p.breakdown_value, p.value, p.row_no,
           r.measure, r.limit_measure, true AS is_numerator
    FROM parsed p JOIN rules r ON p.measure = r.measure
    WHERE p.period IS NOT NULL
    UNION ALL
    SELECT p.period, p.org_code, p.staff_group, p.breakdown, p.breakdown_value, p.value, p.row_no,
           r.measure, r.limit_measure, false
    FROM parsed p JOIN rules r ON p.measure = r.limit_measure
    WHERE p.period IS NOT NULL
    UNION ALL  -- the stock at the start of the month (the end of the month before)
    SELECT CAST(p.period + INTERVAL 1 MONTH AS DATE), p.org_code, p.staff_group, p.breakdown, p.breakdown_value,
           p.value, p.row_no, r.measure, r.limit_measure, false
    FROM parsed p JOIN rules r ON p.measure = r.limit_measure
    WHERE p.period IS NOT NULL AND r.shift
),
pairs AS (
    SELECT period, org_code, staff_group, breakdown, breakdown_value, measure, limit_measure,
           max(value) FILTER (WHERE is_numerator) AS value,
           max(value) FILTER (WHERE NOT is_numerator) AS limit_value,
           max(row_no) FILTER (WHERE is_numerator) AS row_no,
           max(row_no) FILTER (WHERE NOT is_numerator) AS limit_row,
           bool_or(NOT is_numerator) AS limit_in_file
    FROM tagged
    GROUP BY period, org_code, staff_group, breakdown, breakdown_value, measure, limit_measure
    HAVING max(value) FILTER (WHERE is_numerator) IS NOT NULL
),
held AS (
    SELECT q.period, q.org_code, q.staff_group, q.breakdown, q.breakdown_value, q.measure, q.limit_measure,
           f.value AS limit_value, f.load_id
    FROM pairs q
    JOIN fact f ON f.measure = q.limit_measure AND f.period = q.period AND f.org_code = q.org_code
               AND f.staff_group = q.staff_group AND f.breakdown = q.breakdown
               AND f.breakdown_value = q.breakdown_value
    WHERE NOT q.limit_in_file AND f.value IS NOT NULL
),
problems AS (
    SELECT row_no, measure, value, limit_measure, limit_value, 'row ' || limit_row AS source
    FROM pairs WHERE limit_in_file AND value > limit_value * (1 + 1e-9)
    UNION ALL
    SELECT q.row_no, q.measure, q.value, q.limit_measure, h.limit_value,
           'held in the database from load ' || h.load_id
    FROM pairs q
    JOIN held h USING (period, org_code, staff_group, breakdown, breakdown_value, measure, limit_measure)
    WHERE q.value > h.limit_value * (1 + 1e-9)
),
described AS (
    SELECT p.row_no, coalesce(r.value_column, 'value') AS column_name, r.value_text AS value,
           p.measure || ' (' || r.value_text || ') is above ' || p.limit_measure || ' ('
               || regexp_replace(CAST(p.limit_value AS VARCHAR), '\.0$', '') || ', ' || p.source
               || '), which is impossible' AS problem
    FROM (SELECT * FROM problems ORDER BY row_no LIMIT $max_problems) p
    JOIN parsed r ON r.row_no = p.row_no AND r.measure = p.measure AND r.value = p.value
)
SELECT row_no, column_name, value, problem, (SELECT count(*) FROM problems) AS total_problems
FROM (SELECT DISTINCT * FROM described)
ORDER BY row_no
LIMIT $max_problems
