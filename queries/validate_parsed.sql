-- validate_parsed: every problem in the parsed file, one row per (row, column, problem).
-- params: $orgs, $staff_groups, $measures (lists of known ids), $breakdown_values (list of
--   'breakdown=value' strings; '' for totals), $latest_month (DATE: later periods are in the
--   future), $at_most_measure, $at_most_limit (parallel lists: measure may not exceed limit for the
--   same key), $all_staff_groups (label of whole-organisation rows), $max_problems.
-- columns: row_no, column_name, value, problem
WITH problems AS (
    SELECT row_no, 'period' AS column_name, period_text AS value, 'is not a month (YYYY-MM)' AS problem
    FROM parsed WHERE period IS NULL OR NOT regexp_full_match(period_text, '\d{4}-\d{2}')
    UNION ALL
    SELECT row_no, 'period', period_text, 'lies in the future'
    FROM parsed WHERE period > CAST($latest_month AS DATE)
    UNION ALL
    SELECT row_no, 'period', period_text, 'is before 2000, which is not plausible'
    FROM parsed WHERE period < DATE '2000-01-01'
    UNION ALL
    SELECT row_no, 'org_code', org_code, 'unknown organisation code'
    FROM parsed WHERE NOT list_contains($orgs, org_code)
    UNION ALL
    SELECT row_no, 'staff_group', staff_group, 'unknown staff group'
    FROM parsed WHERE NOT list_contains($staff_groups, staff_group)
    UNION ALL
    SELECT row_no, 'measure', measure, 'unknown measure'
    FROM parsed WHERE NOT list_contains($measures, measure)
    UNION ALL
    SELECT row_no, 'breakdown', breakdown || '=' || breakdown_value, 'unknown breakdown or breakdown value'
    FROM parsed
    WHERE NOT list_contains($breakdown_values, CASE WHEN breakdown = '' AND breakdown_value = '' THEN ''
                                                    ELSE breakdown || '=' || breakdown_value END)
    UNION ALL
    SELECT row_no, 'value', value_text, 'is not a number'
    FROM parsed WHERE NOT suppressed AND value IS NULL
    UNION ALL
    SELECT row_no, 'value', value_text, 'is negative, which is impossible for this measure'
    FROM parsed WHERE value < 0
    UNION ALL
    SELECT row_no, 'value', value_text, 'is not a finite number'
    FROM parsed WHERE isnan(value) OR isinf(value) OR abs(value) > 1e15
    UNION ALL
    SELECT row_no, 'period/org_code/staff_group/breakdown/breakdown_value/measure',
           period_text || ' ' || org_code || ' ' || staff_group || ' ' || measure,
           'duplicate key: the same figure is given more than once (first at row ' || first_row || ')'
    FROM (SELECT row_no, period_text, org_code, staff_group, measure,
                 min(row_no) OVER (PARTITION BY period_text, org_code, staff_group, breakdown,
                                   breakdown_value, measure) AS first_row
          FROM parsed)
    WHERE row_no > first_row
    UNION ALL
    SELECT n.row_no, 'value', n.value_text,
           n.measure || ' (' || n.value_text || ') is above ' || d.measure || ' (' || d.value_text
               || ', row ' || d.row_no || '), which is impossible'
    FROM parsed n
    JOIN (SELECT unnest($at_most_measure) AS measure, unnest($at_most_limit) AS limit_measure) r
      ON n.measure = r.measure
    JOIN parsed d
      ON d.measure = r.limit_measure AND d.period = n.period AND d.org_code = n.org_code
     AND d.staff_group = n.staff_group AND d.breakdown = n.breakdown
     AND d.breakdown_value = n.breakdown_value
    WHERE n.value > d.value
    UNION ALL
    SELECT row_no, 'staff_group', staff_group,
           'mixes whole-organisation (' || $all_staff_groups || ') and staff-group rows for the same measure, month and organisation'
    FROM (SELECT row_no, staff_group,
                 bool_or(staff_group = $all_staff_groups) OVER k AS has_all,
                 bool_or(staff_group <> $all_staff_groups) OVER k AS has_groups
          FROM parsed
          WINDOW k AS (PARTITION BY period_text, org_code, breakdown, breakdown_value, measure))
    WHERE has_all AND has_groups AND staff_group = $all_staff_groups
)
SELECT row_no, column_name, value, problem, count(*) OVER () AS total_problems
FROM problems
ORDER BY row_no, column_name
LIMIT $max_problems
