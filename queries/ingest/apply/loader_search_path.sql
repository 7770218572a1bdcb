-- ingest/apply/loader_search_path: names are looked up in the database being loaded (`wf`), then in the
--   loader's own staging database (`stage`, where a template's parsed rows are kept compressed).
-- params: none.
SET search_path = 'wf.main,stage.main'
