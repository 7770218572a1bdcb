-- ingest/org_reference/org_reference_disagreements: held organisation-months whose ICS in the published files differs
--   from config.yaml's effective-dated membership (config decides; the Data quality page says so).
-- params: $member_org, $member_ics, $member_from, $member_to (parallel lists: config.yaml's
--   membership; $member_to NULL = open-ended).
-- columns: org_code, org_name, file_ics, file_ics_name, config_ics, first_period, last_period, months
WITH membership AS (
    SELECT unnest($member_org) AS org_code, unnest($member_ics) AS ics_code,
           CAST(unnest($member_from) AS DATE) AS valid_from, CAST(unnest($member_to) AS DATE) AS valid_to
)
SELECT r.org_code, max(r.org_name) AS org_name, r.ics_code AS file_ics, max(r.ics_name) AS file_ics_name,
       m.ics_code AS config_ics, min(r.period) AS first_period, max(r.period) AS last_period,
       count(*) AS months
FROM org_reference r
JOIN membership m
  ON m.org_code = r.org_code AND r.period >= m.valid_from AND (m.valid_to IS NULL OR r.period <= m.valid_to)
WHERE r.ics_code <> '' AND m.ics_code <> r.ics_code
GROUP BY r.org_code, r.ics_code, m.ics_code
ORDER BY r.org_code, first_period
