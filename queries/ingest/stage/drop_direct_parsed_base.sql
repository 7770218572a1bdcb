-- ingest/stage/drop_direct_parsed_base: remove rows staged straight into the database that will not become its
--   fact table (the next file is staged elsewhere, or the load ends without them).
-- params: none.
DROP TABLE IF EXISTS wf.main.parsed_base
