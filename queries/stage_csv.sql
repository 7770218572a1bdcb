-- stage_csv: read a long-template CSV into the temporary table `staged`, every cell as text.
-- grain: one row per data row of the file; row_no is the line number in the file (header = 1).
-- params: $path (the file). Columns are matched after DuckDB's name normalisation (lower case,
--   spaces to underscores), so 'Org Code' and 'org_code' both work.
-- columns: row_no, period_text, org_code, staff_group, breakdown, breakdown_value, measure, value_text
CREATE OR REPLACE TEMP TABLE staged AS
SELECT
    row_number() OVER () + 1 AS row_no,
    trim(coalesce(period, '')) AS period_text,
    upper(trim(coalesce(org_code, ''))) AS org_code,
    trim(coalesce(staff_group, '')) AS staff_group,
    lower(trim(coalesce(breakdown, ''))) AS breakdown,
    trim(coalesce(breakdown_value, '')) AS breakdown_value,
    lower(trim(coalesce(measure, ''))) AS measure,
    trim(coalesce(_value, '')) AS value_text  -- DuckDB's name normalisation prefixes reserved words (value → _value)
FROM read_csv($path, all_varchar = true, header = true, normalize_names = true,
              delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false)
