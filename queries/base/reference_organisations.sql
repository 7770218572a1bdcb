-- base/reference_organisations: every organisation the organisation reference holds, as the latest
--   publication listing it describes it, with the months it is listed in and whether it has ceased:
--   a publication of the kind that listed it last lists later months without it (a merged trust).
-- params: none.
-- columns: org_code, org_name, org_type, cluster_group, benchmark_group, first_period, last_period, ceased
WITH listed AS (
    SELECT r.*, l.format
    FROM org_reference r
    JOIN load l USING (load_id)
), organisations AS (
    SELECT org_code,
           coalesce(arg_max(org_name, period) FILTER (WHERE org_name <> ''), '') AS org_name,
           coalesce(arg_max(org_type, period) FILTER (WHERE org_type <> ''), '') AS org_type,
           coalesce(arg_max(cluster_group, period) FILTER (WHERE cluster_group <> ''), '') AS cluster_group,
           coalesce(arg_max(benchmark_group, period) FILTER (WHERE benchmark_group <> ''), '') AS benchmark_group,
           min(period) AS first_period,
           max(period) AS last_period,
           arg_max(format, period) AS last_format
    FROM listed
    GROUP BY org_code
), latest_by_format AS (
    SELECT format, max(period) AS latest FROM listed GROUP BY format
)
SELECT o.org_code, o.org_name, o.org_type, o.cluster_group, o.benchmark_group, o.first_period, o.last_period,
       f.latest > o.last_period AS ceased
FROM organisations o
JOIN latest_by_format f ON f.format = o.last_format
ORDER BY o.org_code
