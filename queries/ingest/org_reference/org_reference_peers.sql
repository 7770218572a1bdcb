-- ingest/org_reference/org_reference_peers: an organisation's national peers — every organisation whose peer group is the
--   same as the organisation's own, across England. The peer group is the latest benchmark group a
--   publication gave it up to $as_at, else its latest cluster group, else its latest organisation type.
-- params: $org (organisation code), $as_at (DATE).
-- columns: org_code, org_name, peer_group, ics_code, region_name
WITH latest AS (
    SELECT org_code,
           coalesce(arg_max(benchmark_group, period) FILTER (WHERE benchmark_group <> ''),
                    arg_max(cluster_group, period) FILTER (WHERE cluster_group <> ''),
                    arg_max(org_type, period) FILTER (WHERE org_type <> '')) AS peer_group,
           coalesce(arg_max(org_name, period) FILTER (WHERE org_name <> ''), '') AS org_name,
           coalesce(arg_max(ics_code, period) FILTER (WHERE ics_code <> ''), '') AS ics_code,
           coalesce(arg_max(region_name, period) FILTER (WHERE region_name <> ''), '') AS region_name
    FROM org_reference
    WHERE period <= CAST($as_at AS DATE)
    GROUP BY org_code
)
SELECT org_code, org_name, peer_group, ics_code, region_name
FROM latest
WHERE peer_group = (SELECT peer_group FROM latest WHERE org_code = $org)
ORDER BY org_code
