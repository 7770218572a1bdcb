-- group_contributors: for each group of a breakdown, how many of the organisations given add a
-- non-zero value to it over a window (disclosure: a group only one other organisation feeds is
-- that organisation's own figure).
-- params: $orgs (list), $measures (list: the KPI's numerator measures), $group_by ('staff_group' |
--   'breakdown_value'), $breakdown ('' = totals), $staff_groups (list; empty = all staff groups),
--   $all_staff_groups (the whole-organisation label), $start, $end (DATE).
-- columns: grp, orgs
SELECT
    CASE $group_by WHEN 'staff_group' THEN staff_group ELSE breakdown_value END AS grp,
    count(DISTINCT org_code) AS orgs
FROM fact
WHERE list_contains($orgs, org_code)
  AND list_contains($measures, measure)
  AND breakdown = $breakdown
  AND CASE WHEN len($staff_groups) > 0 THEN list_contains($staff_groups, staff_group)
           WHEN $group_by = 'staff_group' THEN staff_group <> $all_staff_groups
           ELSE true END
  AND period BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
  AND value <> 0
GROUP BY ALL
