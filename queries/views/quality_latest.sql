-- views/quality_latest: the latest month with a (non-missing) figure of each measure, for the scope.
-- params: $orgs (list, the organisation scope). columns: measure, latest_period, organisations
SELECT measure, max(period) AS latest_period, count(DISTINCT org_code) AS organisations
FROM fact
WHERE list_contains($orgs, org_code) AND value IS NOT NULL
GROUP BY measure
ORDER BY measure
