-- protect/group_contributors: which of the organisations given add a non-zero value to each group of a
-- breakdown, month by month (disclosure: a group only one other organisation feeds is that
-- organisation's own figure).
-- params: $orgs (list), $measures (list: the KPI's numerator and denominator measures), $group_by ('staff_group' |
--   'breakdown_value'), $breakdown ('' = totals), $staff_groups (list; empty = all staff groups),
--   $all_staff_groups (the whole-organisation label), $start, $end (DATE).
-- columns: grp, org_code, period (one row for each organisation and month with a non-zero value)
SELECT DISTINCT
    CASE $group_by WHEN 'staff_group' THEN staff_group ELSE breakdown_value END AS grp,
    org_code,
    period
FROM fact
WHERE list_contains($orgs, org_code)
  AND list_contains($measures, measure)
  AND breakdown = $breakdown
  AND CASE WHEN len($staff_groups) > 0 THEN list_contains($staff_groups, staff_group)
           WHEN $group_by = 'staff_group' THEN staff_group <> $all_staff_groups
           ELSE true END
  AND period BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
  AND value <> 0
ORDER BY grp, org_code, period
