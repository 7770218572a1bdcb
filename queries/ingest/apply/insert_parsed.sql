-- ingest/apply/insert_parsed: a first load into an empty database: every row of `parsed_base` is new.
-- params: $load_id
INSERT INTO fact
SELECT period, org_code, staff_group, breakdown, breakdown_value, measure, value, $load_id
FROM parsed_base
