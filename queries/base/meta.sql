-- base/meta: every key/value fact about the database (e.g. synthetic = 'true').
-- params: none. columns: key, value
SELECT key, value FROM meta ORDER BY key
