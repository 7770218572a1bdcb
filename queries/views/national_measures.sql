-- views/national_measures: the measures held in a month for organisations outside config.yaml (national
--   peers, from national files), so Compare offers national peers only for KPIs that have them.
-- params: $orgs (config.yaml's organisation codes), $month (DATE). columns: measure
SELECT DISTINCT measure
FROM fact
WHERE period = CAST($month AS DATE) AND NOT list_contains($orgs, org_code) AND value IS NOT NULL
ORDER BY measure
