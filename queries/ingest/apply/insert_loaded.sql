-- ingest/apply/insert_loaded: add the new and changed figures (`changes`) to fact under $load_id (the values they
--   replace were deleted by delete_replaced).
-- params: $load_id
INSERT INTO fact
SELECT period, org_code, staff_group, breakdown, breakdown_value, measure, value, $load_id
FROM changes
