-- measures/periods: the months with any data for the organisations in scope, newest first.
-- params: $orgs (list of org codes). columns: period
SELECT DISTINCT period FROM fact
WHERE list_contains($orgs, org_code) AND value IS NOT NULL
ORDER BY period DESC
