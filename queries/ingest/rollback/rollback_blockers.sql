-- ingest/rollback/rollback_blockers: later loads still in force that changed figures this load put in; rolling it
--   back would undo their figures too, so it is refused until they are rolled back first.
-- params: $load_id. columns: load_id, file, loaded_at, figures
SELECT h.load_id, l.file, l.loaded_at, count(*) AS figures
FROM fact_history h
JOIN load l ON l.load_id = h.load_id
WHERE h.old_load_id = $load_id AND l.status = 'loaded'
GROUP BY h.load_id, l.file, l.loaded_at
ORDER BY h.load_id DESC
