-- store/backend/schema_lock: (PostgreSQL) one schema change at a time across the cluster, until the transaction
-- ends (the key is the store's own: 'wf-schema' as a number).
-- params: none. columns: pg_advisory_xact_lock
SELECT pg_advisory_xact_lock(2002024001)
