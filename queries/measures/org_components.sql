-- measures/org_components: each organisation's additive components month by month, for totals
--   (no breakdown): measures/kpi_components grouped by organisation, in one aggregation instead of
--   two (the figure for a selection is added up from these in workforce.measures.kpi, so this is the
--   query behind every summary: all of England at national scale is 3.5 million rows in).
-- grain: one row per (organisation, measure, period) that has data, from 12 months before $start to $end.
-- params: $orgs (list), $staff_groups (list; empty = all staff groups), $all_staff_groups (the
--   whole-organisation label), $measures (list), $start, $end (DATE).
-- columns: grp (the organisation), measure, period, month_value.
-- Grains as in measures/kpi_components: each organisation counts its whole-organisation figure where
--   it has one, else the sum of its staff groups; a staff-group filter uses staff-group rows only.
SELECT org_code AS grp, measure, period,
       coalesce(sum(value) FILTER (WHERE staff_group = $all_staff_groups), sum(value)) AS month_value
FROM fact
WHERE list_contains($orgs, org_code)
  AND (len($staff_groups) = 0 OR list_contains($staff_groups, staff_group))
  AND breakdown = ''
  AND list_contains($measures, measure)
  AND period BETWEEN CAST($start AS DATE) - INTERVAL 12 MONTH AND CAST($end AS DATE)
  AND value IS NOT NULL
GROUP BY org_code, measure, period
