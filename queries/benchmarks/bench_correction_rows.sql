-- benchmarks/bench_correction_rows: the latest month's total leavers for every organisation, doubled — a
--   visible correction for the concurrency benchmark (benchmarks/bench_concurrency.py).
-- params: none. columns: the long template's columns
SELECT strftime(period, '%Y-%m'), org_code, staff_group, breakdown, breakdown_value, measure, value * 2
FROM fact
WHERE measure = 'leavers' AND breakdown = '' AND period = (SELECT max(period) FROM fact)
