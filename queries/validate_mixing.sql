-- validate_mixing: whole-organisation figures ('All staff groups') and staff-group figures of the
--   same measure, month, organisation and breakdown, in the file or between the file and the
--   database: every total would count those staff twice.
-- params: $all_staff_groups, $max_problems. columns: row_no, column_name, value, problem, total_problems
WITH file_keys AS (
    SELECT period, org_code, breakdown, breakdown_value, measure,
           min(row_no) FILTER (WHERE staff_group = $all_staff_groups) AS whole_row,
           min(row_no) FILTER (WHERE staff_group <> $all_staff_groups) AS group_row,
           arg_min(staff_group, row_no) FILTER (WHERE staff_group <> $all_staff_groups) AS group_name
    FROM parsed
    WHERE period IS NOT NULL
    GROUP BY ALL
),
held_keys AS (
    SELECT f.period, f.org_code, f.breakdown, f.breakdown_value, f.measure,
           bool_or(f.staff_group = $all_staff_groups) AS held_whole,
           bool_or(f.staff_group <> $all_staff_groups) AS held_groups
    FROM fact f
    SEMI JOIN file_keys k
      ON f.period = k.period AND f.org_code = k.org_code AND f.breakdown = k.breakdown
     AND f.breakdown_value = k.breakdown_value AND f.measure = k.measure
    GROUP BY ALL
),
problems AS (
    SELECT k.whole_row AS row_no, 'staff_group' AS column_name, $all_staff_groups AS value,
           CASE WHEN k.group_row IS NOT NULL
                THEN 'is a whole-organisation figure, but row ' || k.group_row || ' gives a staff-group figure ('
                     || k.group_name || ') for the same measure, month and organisation (staff would be counted twice)'
                ELSE 'is a whole-organisation figure, but the database holds staff-group figures of '
                     || k.measure || ' for this month and organisation (staff would be counted twice)' END AS problem
    FROM file_keys k LEFT JOIN held_keys h USING (period, org_code, breakdown, breakdown_value, measure)
    WHERE k.whole_row IS NOT NULL AND (k.group_row IS NOT NULL OR coalesce(h.held_groups, false))
    UNION ALL
    SELECT k.group_row, 'staff_group', k.group_name,
           'is a staff-group figure, but the database holds a whole-organisation figure (' || $all_staff_groups
               || ') of ' || k.measure || ' for this month and organisation (staff would be counted twice)'
    FROM file_keys k JOIN held_keys h USING (period, org_code, breakdown, breakdown_value, measure)
    WHERE k.whole_row IS NULL AND h.held_whole
)
SELECT row_no, column_name, value, problem, count(*) OVER () AS total_problems
FROM problems
ORDER BY row_no
LIMIT $max_problems
