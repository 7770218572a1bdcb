-- measures/as_at_month: the database's as-at month, the latest month holding any figure (time is read from the
-- data, never from today's date).
-- params: none. columns: period (NULL for an empty database)
SELECT max(period) AS period
FROM fact
WHERE value IS NOT NULL
