-- ingest/apply/changed_values: the figures a load would change, old → new (for the dry run), first $limit.
-- params: $limit. columns: row_no, period, org_code, staff_group, breakdown, breakdown_value, measure,
--   old_value, new_value
SELECT row_no, period, org_code, staff_group, breakdown, breakdown_value, measure,
       old_value, value AS new_value
FROM changes
WHERE existed
ORDER BY row_no
LIMIT $limit
