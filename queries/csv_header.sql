-- csv_header: no rows, just the column names of a CSV after DuckDB's normalisation
--   (lower case, spaces to underscores), to check a file's layout before staging it.
-- params: $path
SELECT * FROM read_csv($path, all_varchar = true, header = true, normalize_names = true,
                       delim = ',', quote = '"') LIMIT 0
