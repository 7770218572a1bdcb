-- ingest/apply/change_counts: how many rows of `changes` are new keys and how many change a value.
-- params: none. columns: rows_new, rows_changed
SELECT count(*) FILTER (WHERE NOT existed) AS rows_new, count(*) FILTER (WHERE existed) AS rows_changed
FROM changes
