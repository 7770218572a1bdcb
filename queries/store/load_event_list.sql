-- store/load_event_list: loads and rollbacks from every machine of the cluster, newest first.
-- params: :limit. columns: id, at, who, host, database, action, load_id, summary
SELECT id, at, who, host, database, action, load_id, summary
FROM load_event
ORDER BY id DESC
LIMIT :limit
