-- ingest/validate/validate_at_most: a figure above the one it can never exceed for the same month, organisation,
--   staff group and breakdown (leavers above headcount, FTE days lost above days available …, from
--   `at_most` in config.yaml). Both figures of each rule are brought together by one aggregation
--   (no self-join); where the file lacks the limit, it is looked up in the database. A flow's limit
--   that is a stock (leavers ≤ headcount) is the larger of the stock at the end of the month and at
--   the end of the month before (the start of the month): a staff group whose only member left
--   ends the month with headcount 0.
--   Speed: each row meets the rules through a small table of roles (limited figure, its limit, its
--   limit a month later), and its organisation, staff group and breakdown value are first numbered
--   (`cells`, a few thousand), so the one aggregation groups by three numbers rather than seven texts
--   (national demo: 4 s CPU instead of 22 s, no spilling).
-- params: $at_most_measure, $at_most_limit, $at_most_shift (parallel lists), $max_problems.
-- columns: row_no, column_name, value, problem, total_problems
WITH rules AS (SELECT unnest($at_most_measure) AS measure, unnest($at_most_limit) AS limit_measure,
                      unnest($at_most_shift) AS shift, generate_subscripts($at_most_measure, 1) AS rule),
roles AS (  -- 0: the figure limited; 1: its limit; 2: its limit, counted as the next month's start
    SELECT measure, rule, 0 AS role FROM rules
    UNION ALL SELECT limit_measure, rule, 1 FROM rules
    UNION ALL SELECT limit_measure, rule, 2 FROM rules WHERE shift
),
cells AS (
    SELECT org_code, staff_group, breakdown, breakdown_value, row_number() OVER () AS cell
    FROM (SELECT DISTINCT p.org_code, p.staff_group, p.breakdown, p.breakdown_value
          FROM parsed p SEMI JOIN roles r ON p.measure = r.measure)
),
tagged AS (
    SELECT CASE WHEN r.role = 2 THEN CAST(p.period + INTERVAL 1 MONTH AS DATE) ELSE p.period END AS period,
           c.cell, r.rule, r.role = 0 AS is_numerator, p.value, p.row_no
    FROM parsed p
    JOIN roles r ON p.measure = r.measure
    JOIN cells c ON c.org_code IS NOT DISTINCT FROM p.org_code AND c.staff_group IS NOT DISTINCT FROM p.staff_group
                AND c.breakdown IS NOT DISTINCT FROM p.breakdown
                AND c.breakdown_value IS NOT DISTINCT FROM p.breakdown_value
    WHERE p.period IS NOT NULL
),
pairs AS (
    SELECT period, cell, rule,
           max(value) FILTER (WHERE is_numerator) AS value,
           max(value) FILTER (WHERE NOT is_numerator) AS limit_value,
           max(row_no) FILTER (WHERE is_numerator) AS row_no,
           max(row_no) FILTER (WHERE NOT is_numerator) AS limit_row,
           bool_or(NOT is_numerator) AS limit_in_file
    FROM tagged
    GROUP BY period, cell, rule
    HAVING max(value) FILTER (WHERE is_numerator) IS NOT NULL
),
held AS (
    SELECT q.period, q.cell, q.rule, f.value AS limit_value, f.load_id
    FROM pairs q
    JOIN cells c USING (cell)
    JOIN rules u USING (rule)
    JOIN fact f ON f.measure = u.limit_measure AND f.period = q.period AND f.org_code = c.org_code
               AND f.staff_group = c.staff_group AND f.breakdown = c.breakdown
               AND f.breakdown_value = c.breakdown_value
    WHERE NOT q.limit_in_file AND f.value IS NOT NULL
),
problems AS (
    SELECT row_no, rule, value, limit_value, 'row ' || limit_row AS source
    FROM pairs WHERE limit_in_file AND value > limit_value * (1 + 1e-9)
    UNION ALL
    SELECT q.row_no, q.rule, q.value, h.limit_value, 'held in the database from load ' || h.load_id
    FROM pairs q
    JOIN held h USING (period, cell, rule)
    WHERE q.value > h.limit_value * (1 + 1e-9)
),
described AS (
    SELECT p.row_no, coalesce(r.value_column, 'value') AS column_name, r.value_text AS value,
           u.measure || ' (' || r.value_text || ') is above ' || u.limit_measure || ' ('
               || regexp_replace(CAST(p.limit_value AS VARCHAR), '\.0$', '') || ', ' || p.source
               || '), which is impossible' AS problem
    FROM (SELECT * FROM problems ORDER BY row_no LIMIT $max_problems) p
    JOIN rules u USING (rule)
    JOIN parsed r ON r.row_no = p.row_no AND r.measure = u.measure AND r.value = p.value
)
SELECT row_no, column_name, value, problem, (SELECT count(*) FROM problems) AS total_problems
FROM (SELECT DISTINCT * FROM described)
ORDER BY row_no
LIMIT $max_problems
