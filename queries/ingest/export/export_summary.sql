-- ingest/export/export_summary: how many figures an export writes and how many of its organisations are outside
--   config.yaml (national peers, known to another database only once it holds them in its
--   organisation reference). The same filter as ingest/export/export_facts.sql.
-- params: as ingest/export/export_facts.sql, and $config_orgs (config.yaml's organisation codes).
-- columns: figures, outside (organisations not in config.yaml)
WITH spans AS (
    SELECT unnest($span_org) AS org_code, unnest($span_from) AS valid_from, unnest($span_to) AS valid_to
)
SELECT count(*) AS figures,
       count(DISTINCT f.org_code) FILTER (WHERE NOT list_contains($config_orgs, f.org_code)) AS outside
FROM fact f
WHERE ($all_orgs OR list_contains($orgs, f.org_code))
  AND f.period BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
  AND (len($span_org) = 0 OR EXISTS (
        SELECT 1 FROM spans s
        WHERE s.org_code = f.org_code AND f.period >= s.valid_from
          AND (s.valid_to IS NULL OR f.period <= s.valid_to)))
