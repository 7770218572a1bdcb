-- store/backend/schema_version_has: whether a numbered schema file has been applied (0 or 1 row).
-- params: :version. columns: version
SELECT version FROM schema_version WHERE version = :version
