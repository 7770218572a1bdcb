-- ingest/parse/preview_parsed: the first template rows a file becomes, for the preview before loading (taken
--   from the first rows read, then put in row order).
-- params: $limit. columns: row, period, org_code, staff_group, breakdown, breakdown_value, measure,
--   value (as written), number (as read; empty = missing)
SELECT row_no AS "row", period_text AS period, org_code, staff_group, breakdown, breakdown_value, measure,
       value_text AS "value", value AS number
FROM (SELECT * FROM parsed LIMIT 20 * $limit)
ORDER BY row_no, measure, period_text
LIMIT $limit
