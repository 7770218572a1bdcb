-- ingest/validate/drop_key_summary: free `key_summary` once the checks that use it have run.
-- params: none.
DROP TABLE IF EXISTS key_summary
