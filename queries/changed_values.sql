-- changed_values: the figures a load would change, old → new (for the dry run), first $limit.
-- params: $limit. columns: period, org_code, staff_group, breakdown, breakdown_value, measure,
--   old_value, new_value, row_no
SELECT p.period, p.org_code, p.staff_group, p.breakdown, p.breakdown_value, p.measure,
       f.value AS old_value, p.value AS new_value, p.row_no
FROM parsed p
JOIN fact f USING (period, org_code, staff_group, breakdown, breakdown_value, measure)
WHERE f.value IS DISTINCT FROM p.value
ORDER BY p.row_no
LIMIT $limit
