-- base/reference_placements: each organisation's ICS as published, as runs of listed months in one ICS
--   (months a file gives no ICS are left out and do not break a run), with the ICS's and its
--   region's latest names in that run.
-- params: none.
-- columns: org_code, ics_code, ics_name, region_code, region_name, first_period, last_period
WITH placed AS (
    SELECT org_code, period, ics_code, ics_name, region_code, region_name,
           row_number() OVER (PARTITION BY org_code ORDER BY period)
           - row_number() OVER (PARTITION BY org_code, ics_code ORDER BY period) AS run
    FROM org_reference
    WHERE ics_code <> ''
)
SELECT org_code, ics_code,
       coalesce(arg_max(ics_name, period) FILTER (WHERE ics_name <> ''), '') AS ics_name,
       coalesce(arg_max(region_code, period) FILTER (WHERE region_code <> ''), '') AS region_code,
       coalesce(arg_max(region_name, period) FILTER (WHERE region_name <> ''), '') AS region_name,
       min(period) AS first_period,
       max(period) AS last_period
FROM placed
GROUP BY org_code, ics_code, run
ORDER BY org_code, first_period
