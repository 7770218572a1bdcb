-- ingest/validate/unknown_breakdowns: the (breakdown, value) pairs of the file that config.yaml does not know, as
--   'breakdown=value' keys (run only when profile_parsed found some).
-- params: $breakdowns, $breakdown_values (parallel lists of the known pairs, '' and '' for totals).
-- columns: keys (list)
SELECT coalesce(list_slice(list(breakdown || '=' || breakdown_value), 1, 10000), []) AS keys
FROM (SELECT DISTINCT breakdown, breakdown_value FROM parsed_base) p
ANTI JOIN (SELECT unnest($breakdowns) AS breakdown, unnest($breakdown_values) AS breakdown_value) k
       ON p.breakdown = k.breakdown AND p.breakdown_value = k.breakdown_value
