-- ingest/stage/stage_csv: read a long-template CSV (the project's own format) straight into `parsed_base`,
--   typed, streamed by DuckDB's CSV reader in one pass (the path a 10-million-row file takes).
--   The table is stored in the loader's own staging database (`stage`, a file in its temporary
--   folder, found through the search path), so DuckDB keeps it compressed: a 10-million-row file
--   stays well inside the loader's memory limit and the checks read it quickly. A value's text
--   is kept only where it is not a plain number (the `parsed` view writes plain numbers back).
--   Cells are used as written; only when validation finds a problem are they tidied (tidy_parsed:
--   spaces trimmed, codes' case normalised) and checked again, so clean files pay nothing for it.
-- grain: one row per data row of the file, in file order; row_no is NULL here and numbered from the
--   row order by the `parsed` view (a converted XLSX or rewritten CSV brings its rows' numbers).
-- params: $path (a UTF-8 CSV), $columns (struct: a name for each column of the file, canonical where
--   the adapter knows it, each 'VARCHAR'), $skip (lines above the header).
-- columns: row_no, period_text, period, org_code, staff_group, breakdown, breakdown_value, measure,
--   value_text (NULL for a plain number), value (the lean base of ingest/parse/create_parsed_view_template.sql)
CREATE OR REPLACE TABLE stage.parsed_base AS
SELECT * FROM wf_template_rows($path, $columns, $skip)
