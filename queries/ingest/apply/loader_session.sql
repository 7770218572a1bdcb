-- ingest/apply/loader_session: settings of a loader connection: no progress bar printed by DuckDB (progress is
--   reported through the loader's callback to the page or the command line).
-- params: none.
SET enable_progress_bar = false
