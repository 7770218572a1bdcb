-- measures/kpi_components: additive components of KPIs for a selection, month by month.
-- grain: one row per (grp, measure, period) that has data, from 12 months before $start to $end
--   (the months a 12-month window ending at $start reaches back to). The windows themselves (12-month
--   sums, the value a year before, the year to date) are worked out by workforce.measures.kpi on the
--   group × month grid: as SQL window functions over RANGE frames they cost more than the rest of the
--   query (all of England: 0.76 s of 1.5 s).
-- params: $orgs (list, the organisation scope), $staff_groups (list of staff groups; empty = all
--   staff groups), $all_staff_groups (the whole-organisation label),
--   $breakdown ('' = totals, else ethnicity/sex/age_band/disability), $measures (list),
--   $group_by ('none' | 'org' | 'staff_group' | 'breakdown_value' | 'org_staff_group' |
--   'org_breakdown_value': an organisation's own cells, grp = org code, chr(31), the cell), $start, $end (DATE).
-- columns: grp, measure, period, month_value (sum in the month).
-- Grains: a whole-organisation figure ('All staff groups') and staff-group figures of the same
--   organisation, month and measure may both be held; they are never added together. For all staff
--   groups each organisation counts its whole-organisation figure where it has one, else the sum of
--   its staff groups (staff-group leavers include moves between groups, so they overstate an
--   organisation's leavers); a staff-group filter or grouping uses staff-group rows only.
WITH by_org AS (
    SELECT
        CASE $group_by
            WHEN 'org' THEN org_code
            WHEN 'staff_group' THEN staff_group
            WHEN 'breakdown_value' THEN breakdown_value
            WHEN 'org_staff_group' THEN org_code || chr(31) || staff_group
            WHEN 'org_breakdown_value' THEN org_code || chr(31) || breakdown_value
            ELSE '' END AS grp,
        org_code, breakdown_value, measure, period,
        coalesce(sum(value) FILTER (WHERE staff_group = $all_staff_groups), sum(value)) AS value
    FROM fact
    WHERE list_contains($orgs, org_code)
      AND CASE WHEN len($staff_groups) > 0 THEN list_contains($staff_groups, staff_group)
               WHEN $group_by IN ('staff_group', 'org_staff_group') THEN staff_group <> $all_staff_groups
               ELSE true END
      AND breakdown = $breakdown
      AND list_contains($measures, measure)
      AND period BETWEEN CAST($start AS DATE) - INTERVAL 12 MONTH AND CAST($end AS DATE)
      AND value IS NOT NULL
    GROUP BY ALL
)
SELECT grp, measure, period, sum(value) AS month_value
FROM by_org
GROUP BY grp, measure, period
