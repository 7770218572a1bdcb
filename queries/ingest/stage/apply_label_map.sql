-- ingest/stage/apply_label_map: replace the staff-group labels of `staged` as a published file writes them
--   ('005_Nurses & health visitors', 'HCHS Doctors', 'All staff groups') by the dashboard's staff
--   groups, and mark the rows to skip (a doctors' grade, a main staff group subtotal) with why.
-- params: $raw, $label, $skip (parallel lists, one entry per distinct label in the file; made by
--   workforce/adapters/labels.py).
UPDATE staged
SET staff_group = m.label, skip_reason = coalesce(staged.skip_reason, m.skip)
FROM (SELECT unnest($raw) AS raw, unnest($label) AS label, unnest($skip) AS skip) m
WHERE staged.staff_group = m.raw
