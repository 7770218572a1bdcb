-- ingest/apply/load_by_checksum: an earlier, still-loaded load of the same file content, if any.
-- params: $sha256. columns: load_id, file, loaded_at
SELECT load_id, file, loaded_at FROM load
WHERE sha256 = $sha256 AND status = 'loaded'
ORDER BY load_id DESC
LIMIT 1
