-- ingest/org_reference/ics_disagreements: organisations config.yaml places in one ICS for a month while the file's own
--   ICS column says another (e.g. a regional ambulance trust hosted elsewhere); config decides, and
--   the dry run says so. Months grouped into runs per organisation and pair of ICSs.
-- params: $member_org, $member_ics, $member_from, $member_to (parallel lists: config.yaml's
--   effective-dated membership; $member_to NULL = open-ended).
-- columns: org_code, org_name, file_ics, file_ics_name, config_ics, first_period, last_period, months
WITH membership AS (
    SELECT unnest($member_org) AS org_code, unnest($member_ics) AS ics_code,
           CAST(unnest($member_from) AS DATE) AS valid_from, CAST(unnest($member_to) AS DATE) AS valid_to
),
listed AS (
    SELECT CAST(period_text || '-01' AS DATE) AS period, org_code, org_name, ics_code, ics_name
    FROM staged_orgs
    WHERE trim(ics_code) <> '' AND TRY_CAST(period_text || '-01' AS DATE) IS NOT NULL
)
SELECT l.org_code, max(l.org_name) AS org_name, l.ics_code AS file_ics, max(l.ics_name) AS file_ics_name,
       m.ics_code AS config_ics, min(l.period) AS first_period, max(l.period) AS last_period,
       count(*) AS months
FROM listed l
JOIN membership m
  ON m.org_code = l.org_code AND l.period >= m.valid_from AND (m.valid_to IS NULL OR l.period <= m.valid_to)
WHERE m.ics_code <> trim(l.ics_code)
GROUP BY l.org_code, l.ics_code, m.ics_code
ORDER BY l.org_code, first_period
