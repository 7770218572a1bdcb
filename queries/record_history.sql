-- record_history: keep the values this load replaces (or that a key was new) for rollback.
-- params: $load_id. Only keys whose value changes or that are new are recorded.
INSERT INTO fact_history
SELECT $load_id, p.period, p.org_code, p.staff_group, p.breakdown, p.breakdown_value, p.measure,
       f.org_code IS NOT NULL AS existed, f.value, f.load_id
FROM parsed p
LEFT JOIN fact f USING (period, org_code, staff_group, breakdown, breakdown_value, measure)
WHERE f.org_code IS NULL OR f.value IS DISTINCT FROM p.value
