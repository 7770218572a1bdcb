-- ingest/parse/parsed_months: the first and last month of the figures a file became (`parsed`), to load a folder
--   of publications in date order.
-- params: none. columns: first_period, last_period (DATE; NULL when none)
SELECT min(period) AS first_period, max(period) AS last_period FROM parsed
