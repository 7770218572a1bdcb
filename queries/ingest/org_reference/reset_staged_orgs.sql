-- ingest/org_reference/reset_staged_orgs: an empty organisation list before each file is read, so a file that lists no
--   organisation metadata (a template) never inherits the previous file's; staging a publication
--   replaces it (queries/ingest/stage/staged_orgs.sql, same columns).
-- params: none.
CREATE OR REPLACE TEMP TABLE staged_orgs (
    period_text VARCHAR, org_code VARCHAR, org_name VARCHAR, org_type VARCHAR, cluster_group VARCHAR,
    benchmark_group VARCHAR, region_code VARCHAR, region_name VARCHAR, ics_code VARCHAR, ics_name VARCHAR,
    file_rows BIGINT
)
