-- drop_staging_total: free the memory of `staged_total` once `parsed` is built.
-- params: none.
DROP TABLE IF EXISTS staged_total
