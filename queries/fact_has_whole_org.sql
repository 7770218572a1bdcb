-- fact_has_whole_org: whether the database holds whole-organisation figures of any of $measures
--   (then a file's staff-group rows must be checked against them).
-- params: $all_staff_groups, $measures (list). columns: held
SELECT count(*) > 0 AS held FROM fact WHERE staff_group = $all_staff_groups AND list_contains($measures, measure)
