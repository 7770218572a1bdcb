-- ingest/validate/validate_rows: the problems a row shows on its own (run only when profile_parsed found some): a
--   period that is not a month, lies in the future or before 2000; an unknown organisation, staff
--   group, measure or breakdown (the values profile_parsed found unknown); a value that is not a
--   number (a formula, text), is negative or not finite, or is a fraction of a count of people; a
--   problem the adapter found.
-- params: $bad_orgs, $bad_staff_groups, $bad_measures (lists of unknown values), $bad_breakdown_keys
--   (unknown 'breakdown=value' pairs), $latest_month (DATE), $whole_measures (measures that count
--   people), $max_problems.
-- columns: row_no, column_name, value, problem, total_problems
WITH flagged AS MATERIALIZED (
    SELECT * FROM (
        SELECT
            row_no, period_text, org_code, staff_group, breakdown, breakdown_value, measure, value_text,
            coalesce(value_column, 'value') AS value_column, problem_column, problem_value, problem,
            problem IS NOT NULL AS f_adapter,
            (period IS NULL OR length(period_text) <> 7) AND coalesce(problem_column, '') <> 'period' AS f_period,
            coalesce(period > CAST($latest_month AS DATE), false) AS f_future,
            coalesce(period < DATE '2000-01-01', false) AS f_early,
            list_contains($bad_orgs, org_code) AS f_org,
            list_contains($bad_staff_groups, staff_group) AS f_group,
            list_contains($bad_measures, measure) AS f_measure,
            list_contains($bad_breakdown_keys, breakdown || '=' || breakdown_value) AS f_breakdown,
            NOT suppressed AND value IS NULL AS f_number,
            coalesce(value < 0, false) AS f_negative,
            coalesce(isnan(value) OR isinf(value) OR abs(value) > 1e15, false) AS f_infinite,
            coalesce(list_contains($whole_measures, measure) AND value <> floor(value), false) AS f_fraction
        FROM parsed
    )
    WHERE f_adapter OR f_period OR f_future OR f_early OR f_org OR f_group OR f_measure OR f_breakdown
       OR f_number OR f_negative OR f_infinite OR f_fraction
),
problems AS (
    SELECT row_no, problem_column AS column_name, coalesce(problem_value, '') AS value, problem FROM flagged WHERE f_adapter
    UNION ALL
    SELECT row_no, 'period', period_text, 'is not a month (YYYY-MM)' FROM flagged WHERE f_period
    UNION ALL
    SELECT row_no, 'period', period_text, 'lies in the future' FROM flagged WHERE f_future
    UNION ALL
    SELECT row_no, 'period', period_text, 'is before 2000, which is not plausible' FROM flagged WHERE f_early
    UNION ALL
    SELECT row_no, 'org_code', org_code, 'unknown organisation code' FROM flagged WHERE f_org
    UNION ALL
    SELECT row_no, 'staff_group', staff_group, 'unknown staff group' FROM flagged WHERE f_group
    UNION ALL
    SELECT row_no, 'measure', measure, 'unknown measure' FROM flagged WHERE f_measure
    UNION ALL
    SELECT row_no, 'breakdown', breakdown || '=' || breakdown_value, 'unknown breakdown or breakdown value'
    FROM flagged WHERE f_breakdown
    UNION ALL
    SELECT row_no, value_column, value_text,
           CASE WHEN starts_with(value_text, '=')
                THEN 'is a spreadsheet formula, not a figure: paste the values (Paste Special › Values) and save again'
                WHEN starts_with(value_text, '#')
                THEN 'is a spreadsheet error, not a figure'
                WHEN regexp_full_match(trim(value_text), '[-+]?[0-9][0-9.]*,[0-9]+')
                THEN 'has a decimal comma: write it with a decimal point (' || replace(trim(value_text), ',', '.') || ')'
                ELSE 'is not a number' END
    FROM flagged WHERE f_number
    UNION ALL
    SELECT row_no, value_column, value_text, 'is negative, which is impossible for this measure'
    FROM flagged WHERE f_negative AND NOT f_infinite
    UNION ALL
    SELECT row_no, value_column, value_text, 'is not a finite number of a plausible size'
    FROM flagged WHERE f_infinite
    UNION ALL
    SELECT row_no, value_column, value_text, 'is not a whole number: ' || measure || ' counts people'
    FROM flagged WHERE f_fraction AND NOT f_infinite
),
distinct_problems AS (SELECT DISTINCT row_no, column_name, value, problem FROM problems)
SELECT row_no, column_name, value, problem, count(*) OVER () AS total_problems
FROM distinct_problems
ORDER BY row_no, column_name, problem
LIMIT $max_problems
