-- ingest/apply/record_history: keep the values this load replaces, so it can be rolled back. New keys need no
--   history: they are the load's own rows in `fact` (load_id = $load_id) and are simply removed.
-- params: $load_id
INSERT INTO fact_history
SELECT $load_id, period, org_code, staff_group, breakdown, breakdown_value, measure, true, old_value, old_load_id
FROM changes
WHERE existed
