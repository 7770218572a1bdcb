-- ingest/export/export_facts: the stored figures in the long template layout, for `python -m workforce export`.
-- grain: one row per stored figure (fact's natural key), 'All staff groups' rows included; a
--   missing (suppressed) figure exports as an empty value, so loading the file back holds it as missing.
-- params: $all_orgs (true = every organisation), $orgs (list of organisation codes),
--   $span_org, $span_from, $span_to (parallel lists: an organisation counts only for the months of
--   one of its spans, e.g. its effective-dated membership of an ICS; empty lists = no restriction),
--   $start, $end (DATE, first days of months; inclusive).
-- columns: period (YYYY-MM), org_code, staff_group, breakdown, breakdown_value, measure, value
WITH spans AS (
    SELECT unnest($span_org) AS org_code, unnest($span_from) AS valid_from, unnest($span_to) AS valid_to
)
SELECT strftime(f.period, '%Y-%m') AS period, f.org_code, f.staff_group, f.breakdown, f.breakdown_value,
       f.measure, f.value
FROM fact f
WHERE ($all_orgs OR list_contains($orgs, f.org_code))
  AND f.period BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
  AND (len($span_org) = 0 OR EXISTS (
        SELECT 1 FROM spans s
        WHERE s.org_code = f.org_code AND f.period >= s.valid_from
          AND (s.valid_to IS NULL OR f.period <= s.valid_to)))
ORDER BY f.period, f.org_code, f.staff_group, f.breakdown, f.breakdown_value, f.measure
