-- measures/org_months: which organisations reported any of the given measures in each recent month,
--   for choosing the latest month whose coverage is complete (workforce/kpi.py reporting_month).
-- grain: one row per (org_code, period) with at least one non-null value.
-- params: $orgs (list of org codes), $measures (list of measure ids), $since (DATE, first month).
-- columns: org_code, period
SELECT DISTINCT org_code, period
FROM fact
WHERE list_contains($orgs, org_code)
  AND list_contains($measures, measure)
  AND period >= CAST($since AS DATE)
  AND value IS NOT NULL
ORDER BY period, org_code
