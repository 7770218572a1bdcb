-- store/backend/schema_version_add: record a numbered schema file as applied (same transaction as the change).
-- params: :version, :name, :at
INSERT INTO schema_version (version, name, applied_at) VALUES (:version, :name, :at)
