-- ingest/parse/drop_temp_parsed_base: forget the previous file's typed rows held as a temporary table (a
--   publication file's, from parse_staged), so a template's `parsed_base` in the staging database
--   (stage_csv) is the one the `parsed` view finds.
-- params: none.
DROP TABLE IF EXISTS temp.main.parsed_base
