-- schema/09_org_reference: every organisation a publication file lists, month by month, with what
--   the file says of it (name, type, cluster and benchmark group, region, the publisher's ICS). Built
--   from the files (queries/ingest/org_reference/record_org_reference.sql); config.yaml still decides ICS membership.
-- grain: (period, org_code); a later file's non-empty value replaces an earlier one, '' = not given.
CREATE TABLE IF NOT EXISTS org_reference (
    period DATE NOT NULL,
    org_code VARCHAR NOT NULL,
    org_name VARCHAR NOT NULL DEFAULT '',
    org_type VARCHAR NOT NULL DEFAULT '',
    cluster_group VARCHAR NOT NULL DEFAULT '',
    benchmark_group VARCHAR NOT NULL DEFAULT '',
    region_code VARCHAR NOT NULL DEFAULT '',
    region_name VARCHAR NOT NULL DEFAULT '',
    ics_code VARCHAR NOT NULL DEFAULT '',
    ics_name VARCHAR NOT NULL DEFAULT '',
    load_id INTEGER NOT NULL,
    PRIMARY KEY (period, org_code)
)
