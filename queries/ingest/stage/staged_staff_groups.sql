-- ingest/stage/staged_staff_groups: the distinct staff-group labels in `staged`, for the label mapping.
-- params: none. columns: staff_group
SELECT DISTINCT staff_group FROM staged ORDER BY staff_group
