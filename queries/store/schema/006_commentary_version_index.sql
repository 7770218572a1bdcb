-- store/schema/006_commentary_version_index: a commentary's versions found without a scan.
CREATE INDEX IF NOT EXISTS commentary_version_by_commentary ON commentary_version (commentary_id, id)
