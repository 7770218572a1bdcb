-- measures/latest_period: the most recent month with any monthly data for the organisations in scope.
-- params: $orgs (list of org codes). columns: period (NULL when there is none)
SELECT max(period) AS period
FROM fact
WHERE list_contains($orgs, org_code) AND value IS NOT NULL
