-- ingest/stage/stage_frame: a registered data frame `frame` (long template columns, already typed — the demo
--   generator's path) straight into `parsed_base`, as parse_staged would make it (rows numbered
--   from their order by the `parsed` view), kept compressed in the loader's staging database like
--   stage_csv's; a value's text is kept only for a missing value.
-- params: none. columns: as ingest/stage/stage_csv.sql (read through ingest/parse/create_parsed_view_template.sql)
CREATE OR REPLACE TABLE stage.parsed_base AS
SELECT * FROM wf_frame_rows()
