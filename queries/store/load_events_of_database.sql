-- store/load_events_of_database: one database's loads and rollbacks, from every machine of the cluster,
-- in the order they landed.
-- params: :database_id. columns: id, at, who, host, database, action, load_id, summary, details
SELECT id, at, who, host, database, action, load_id, summary, details
FROM load_event
WHERE database_id = :database_id
ORDER BY id
