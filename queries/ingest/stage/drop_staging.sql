-- ingest/stage/drop_staging: free the memory of the text staging tables once `parsed` is built.
-- params: none.
DROP TABLE IF EXISTS staged
