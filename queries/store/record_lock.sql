-- store/record_lock: (PostgreSQL) writers of one record — a commentary (KPI, scope, month) or an
-- intervention — queue here until the transaction ends, so each reads the version before it and none is
-- lost (SQLite: BEGIN IMMEDIATE).
-- params: :key (a signed 64-bit number naming the record). columns: pg_advisory_xact_lock
SELECT pg_advisory_xact_lock(:key)
