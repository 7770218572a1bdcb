-- views/quality_coverage: which organisations sent which measures for which months (totals only).
-- grain: one row per (measure, org_code, period) with any figure, for the organisation scope.
-- params: $orgs (list, the organisation scope), $start, $end (DATE).
-- columns: measure, org_code, period, figures (rows held), values (figures that are not missing)
SELECT measure, org_code, period, count(*) AS figures, count(value) AS "values"
FROM fact
WHERE list_contains($orgs, org_code) AND breakdown = '' AND period BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
GROUP BY measure, org_code, period
ORDER BY measure, org_code, period
