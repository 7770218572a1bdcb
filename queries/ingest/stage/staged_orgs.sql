-- ingest/stage/staged_orgs: every organisation a staged file lists, one row per month and organisation, with
--   the metadata the file carries (name, type, cluster and benchmark group, region, the publisher's
--   ICS that month), taken before any row is skipped: the organisation reference reads it
--   (column names agreed in docs/formats.md). A column the file lacks is ''.
-- params: none. columns: period_text, org_code, org_name, org_type, cluster_group, benchmark_group,
--   region_code, region_name, ics_code, ics_name, file_rows
CREATE OR REPLACE TEMP TABLE staged_orgs AS
SELECT period_text, org_code,
       max(org_name) AS org_name, max(org_type) AS org_type, max(cluster_group) AS cluster_group,
       max(benchmark_group) AS benchmark_group, max(region_code) AS region_code, max(region_name) AS region_name,
       max(ics_code) AS ics_code, max(ics_name) AS ics_name, count(DISTINCT row_no) AS file_rows
FROM staged
WHERE org_code <> '' AND length(period_text) = 7
GROUP BY period_text, org_code
