-- ingest/apply/compute_changes: the rows of `parsed` that would change `fact` — new keys and changed values —
--   with the values they replace, as the temporary table `changes` (used by the dry run and the load).
-- params: none. columns: row_no, period, org_code, staff_group, breakdown, breakdown_value, measure,
--   value, old_value, old_load_id, existed
CREATE OR REPLACE TEMP TABLE changes AS
SELECT p.row_no, p.period, p.org_code, p.staff_group, p.breakdown, p.breakdown_value, p.measure, p.value,
       f.value AS old_value, f.load_id AS old_load_id, f.org_code IS NOT NULL AS existed
FROM parsed p
LEFT JOIN fact f USING (period, org_code, staff_group, breakdown, breakdown_value, measure)
WHERE f.org_code IS NULL OR f.value IS DISTINCT FROM p.value
