-- ingest/org_reference/staged_org_codes: the organisation codes a national file lists (`staged_orgs`), for a database
--   made before the organisation reference existed (ingest/org_reference/known_orgs.sql also reads org_reference).
-- params: none. columns: org_code
SELECT DISTINCT org_code FROM staged_orgs
