-- store/commentary_lock: (PostgreSQL) writers of one commentary (KPI, scope, month) queue here until
-- the transaction ends, so each reads the version before it and none is lost (SQLite: BEGIN IMMEDIATE).
-- params: :key (a signed 64-bit number from the KPI, scope and month). columns: pg_advisory_xact_lock
SELECT pg_advisory_xact_lock(:key)
