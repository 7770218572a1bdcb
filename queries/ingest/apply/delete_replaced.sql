-- ingest/apply/delete_replaced: remove the fact rows that this load's history says it replaces.
-- params: $load_id
DELETE FROM fact f
USING fact_history h
WHERE h.load_id = $load_id AND h.existed
  AND f.period = h.period AND f.org_code = h.org_code AND f.staff_group = h.staff_group
  AND f.breakdown = h.breakdown AND f.breakdown_value = h.breakdown_value AND f.measure = h.measure
