-- ingest/stage/delete_skipped: drop the rows of `staged` marked to be skipped (counted first by count_skipped).
-- params: none.
DELETE FROM staged WHERE skip_reason IS NOT NULL
