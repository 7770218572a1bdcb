-- ingest/apply/new_values: figures a load would add (keys the database does not hold), first $limit.
-- params: $limit. columns: row_no, period, org_code, staff_group, breakdown, breakdown_value, measure, value
SELECT row_no, period, org_code, staff_group, breakdown, breakdown_value, measure, value
FROM changes
WHERE NOT existed
ORDER BY row_no
LIMIT $limit
