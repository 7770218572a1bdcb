-- ingest/parse/count_parsed_base: the rows staged from a template file (one per data row of the file).
-- params: none. columns: rows
SELECT count(*) AS rows FROM parsed_base
