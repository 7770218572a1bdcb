-- ingest/org_reference/known_orgs: organisation codes a file may use beyond config.yaml's: those the organisation
--   reference already holds and those a national publication lists with their metadata
--   (`staged_orgs`, emptied for any other file). A code in neither is an unknown organisation.
-- params: none. columns: org_code
SELECT org_code FROM org_reference
UNION
SELECT org_code FROM staged_orgs
