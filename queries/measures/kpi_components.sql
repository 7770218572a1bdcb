-- measures/kpi_components: additive components of KPIs for a selection, with their 12-month windows.
-- grain: one row per (grp, measure, period) that has data, from 12 months before $start to $end.
-- params: $orgs (list, the organisation scope), $staff_groups (list of staff groups; empty = all
--   staff groups), $all_staff_groups (the whole-organisation label),
--   $breakdown ('' = totals, else ethnicity/sex/age_band/disability), $measures (list),
--   $group_by ('none' | 'org' | 'staff_group' | 'breakdown_value'), $start, $end (DATE).
-- columns: grp, measure, period, month_value (sum in the month), sum_12m (sum over m-11..m),
--   months_12m (months with data in that window), start_value (value at m-12), n_orgs.
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
            ELSE '' END AS grp,
        org_code, breakdown_value, measure, period,
        coalesce(sum(value) FILTER (WHERE staff_group = $all_staff_groups), sum(value)) AS value
    FROM fact
    WHERE list_contains($orgs, org_code)
      AND CASE WHEN len($staff_groups) > 0 THEN list_contains($staff_groups, staff_group)
               WHEN $group_by = 'staff_group' THEN staff_group <> $all_staff_groups
               ELSE true END
      AND breakdown = $breakdown
      AND list_contains($measures, measure)
      AND period BETWEEN CAST($start AS DATE) - INTERVAL 24 MONTH AND CAST($end AS DATE)
      AND value IS NOT NULL
    GROUP BY ALL
),
monthly AS (
    SELECT grp, measure, period, sum(value) AS month_value, count(DISTINCT org_code) AS n_orgs
    FROM by_org
    GROUP BY ALL
)
SELECT
    grp,
    measure,
    period,
    month_value,
    sum(month_value) OVER w12 AS sum_12m,
    count(month_value) OVER w12 AS months_12m,
    sum(month_value) OVER (PARTITION BY grp, measure ORDER BY period
        RANGE BETWEEN INTERVAL 12 MONTH PRECEDING AND INTERVAL 12 MONTH PRECEDING) AS start_value,
    n_orgs
FROM monthly
WINDOW w12 AS (PARTITION BY grp, measure ORDER BY period
    RANGE BETWEEN INTERVAL 11 MONTH PRECEDING AND CURRENT ROW)
QUALIFY period >= CAST($start AS DATE)
ORDER BY grp, measure, period
