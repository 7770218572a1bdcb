-- ingest/org_reference/record_org_reference: add the organisations a loaded file lists (`staged_orgs`, one row per month
--   and organisation, docs/formats.md) to `org_reference`; what the file gives replaces what was
--   held, what it leaves blank keeps what was held.
-- params: $load_id.
INSERT OR REPLACE INTO org_reference
SELECT CAST(s.period_text || '-01' AS DATE) AS period, s.org_code,
       coalesce(nullif(trim(s.org_name), ''), o.org_name, ''),
       coalesce(nullif(trim(s.org_type), ''), o.org_type, ''),
       coalesce(nullif(trim(s.cluster_group), ''), o.cluster_group, ''),
       coalesce(nullif(trim(s.benchmark_group), ''), o.benchmark_group, ''),
       coalesce(nullif(trim(s.region_code), ''), o.region_code, ''),
       coalesce(nullif(trim(s.region_name), ''), o.region_name, ''),
       coalesce(nullif(trim(s.ics_code), ''), o.ics_code, ''),
       coalesce(nullif(trim(s.ics_name), ''), o.ics_name, ''),
       $load_id
FROM staged_orgs s
LEFT JOIN org_reference o
  ON o.period = CAST(s.period_text || '-01' AS DATE) AND o.org_code = s.org_code
WHERE TRY_CAST(s.period_text || '-01' AS DATE) IS NOT NULL
