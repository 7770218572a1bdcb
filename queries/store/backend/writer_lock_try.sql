-- store/backend/writer_lock_try: (PostgreSQL) take the cluster-wide writer lock for one database if free; held
-- until the session ends (workforce/store/backend.py).
-- params: :key (a signed 64-bit number from the database file's name). columns: locked
SELECT pg_try_advisory_lock(:key) AS locked
