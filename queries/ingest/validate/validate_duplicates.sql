-- ingest/validate/validate_duplicates: the same figure (month, organisation, staff group, breakdown, measure) given
--   more than once in a file; only the groups `key_summary` found repeated are compared row by row.
-- params: $max_problems. columns: row_no, column_name, value, problem, total_problems
WITH repeated AS (
    SELECT period, org_code, staff_group, measure, breakdown FROM key_summary
    WHERE period IS NOT NULL AND parts > bit_count(value_bits)
),
candidates AS (
    SELECT p.row_no, p.period_text, p.org_code, p.staff_group, p.breakdown, p.breakdown_value, p.measure,
           min(p.row_no) OVER (PARTITION BY p.period, p.org_code, p.staff_group, p.breakdown,
                                            p.breakdown_value, p.measure) AS first_row
    FROM parsed p
    SEMI JOIN repeated r
      ON p.period = r.period AND p.org_code = r.org_code AND p.staff_group = r.staff_group
     AND p.measure = r.measure AND p.breakdown = r.breakdown
),
problems AS (
    SELECT row_no, 'period/org_code/staff_group/breakdown/measure' AS column_name,
           concat_ws(' ', period_text, org_code, staff_group, nullif(breakdown || '=' || breakdown_value, '='), measure)
               AS value,
           'duplicate: the same figure is given more than once (first at row ' || first_row || ')' AS problem
    FROM candidates
    WHERE row_no > first_row
)
SELECT row_no, column_name, value, problem, count(*) OVER () AS total_problems
FROM (SELECT DISTINCT row_no, column_name, value, problem FROM problems)
ORDER BY row_no
LIMIT $max_problems
