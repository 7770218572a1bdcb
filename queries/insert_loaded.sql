-- insert_loaded: add the new and changed figures of `parsed` to fact under $load_id.
-- params: $load_id
INSERT INTO fact
SELECT p.period, p.org_code, p.staff_group, p.breakdown, p.breakdown_value, p.measure, p.value, $load_id
FROM parsed p
JOIN fact_history h
  ON h.load_id = $load_id AND h.period = p.period AND h.org_code = p.org_code
 AND h.staff_group = p.staff_group AND h.breakdown = p.breakdown
 AND h.breakdown_value = p.breakdown_value AND h.measure = p.measure
