-- store/backend/ping: the connection still answers (the writer lock's session, before the database is swapped).
-- params: none. columns: alive
SELECT 1 AS alive
