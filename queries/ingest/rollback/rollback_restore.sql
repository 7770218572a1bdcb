-- ingest/rollback/rollback_restore: put back the values a load replaced, with the loads they came from.
-- params: $load_id
INSERT INTO fact
SELECT period, org_code, staff_group, breakdown, breakdown_value, measure, old_value, old_load_id
FROM fact_history
WHERE load_id = $load_id AND existed
