-- diff_parsed: what loading `parsed` would change in fact, by key.
-- params: none. columns: status ('new' | 'changed' | 'unchanged'), rows
SELECT status, count(*) AS rows
FROM (
    SELECT CASE WHEN f.org_code IS NULL THEN 'new'
                WHEN f.value IS NOT DISTINCT FROM p.value THEN 'unchanged'
                ELSE 'changed' END AS status
    FROM parsed p
    LEFT JOIN fact f USING (period, org_code, staff_group, breakdown, breakdown_value, measure)
)
GROUP BY status
