-- ingest/parse/profile_parsed: what the parsed file holds and whether any row has a problem of its own, from
--   `key_summary` (not the file again): for the report, and so that a clean file needs no
--   row-by-row check (problem counts here only need to be right about zero; validate_rows counts
--   the problems). Organisations, staff groups and measures are checked on their distinct values;
--   breakdown values through the groups' bit sets against each breakdown's known values. Each list of
--   unknowns is looked for among the distinct values, not in every group (6 million at national scale).
-- params: $orgs, $staff_groups, $measures (lists of known ids), $breakdown_ids, $breakdown_masks
--   (parallel lists: each known breakdown, '' for totals, and the bits of its values),
--   $all_staff_groups, $latest_month (DATE), $whole_measures (measures that count people: whole numbers).
-- columns: rows_in, rows_missing, measures (list), whole_org_rows, breakdown_rows, not_numbers,
--   negatives, implausible, adapter_problems, bad_periods, fractional_counts, unknown_orgs, unknown_staff_groups,
--   unknown_measures (lists), unknown_breakdown_rows
WITH masks AS (SELECT unnest($breakdown_ids) AS breakdown, CAST(unnest($breakdown_masks) AS UBIGINT) AS mask)
SELECT
    CAST(coalesce(sum(parts), 0) AS BIGINT) AS rows_in,
    CAST(coalesce(sum(rows_missing), 0) AS BIGINT) AS rows_missing,
    coalesce((SELECT list(DISTINCT measure ORDER BY measure) FROM key_summary), []) AS measures,
    CAST(coalesce(sum(parts) FILTER (WHERE staff_group = $all_staff_groups), 0) AS BIGINT) AS whole_org_rows,
    CAST(coalesce(sum(parts) FILTER (WHERE s.breakdown <> '' OR value_bits <> 1), 0) AS BIGINT) AS breakdown_rows,
    CAST(coalesce(sum(parts - numbers - rows_missing), 0) AS BIGINT) AS not_numbers,
    CAST(coalesce(sum(parts) FILTER (WHERE least < 0), 0) AS BIGINT) AS negatives,
    CAST(coalesce(sum(parts) FILTER (WHERE isnan(greatest) OR isinf(greatest) OR isinf(least)
                                      OR greatest > 1e15 OR least < -1e15), 0) AS BIGINT) AS implausible,
    CAST(coalesce(sum(adapter_problems), 0) AS BIGINT) AS adapter_problems,
    CAST(coalesce(sum(odd_periods), 0) + coalesce(sum(parts) FILTER (WHERE period IS NULL
             OR period > CAST($latest_month AS DATE) OR period < DATE '2000-01-01'), 0) AS BIGINT) AS bad_periods,
    CAST(coalesce(sum(fractions) FILTER (WHERE list_contains($whole_measures, measure)), 0) AS BIGINT)
        AS fractional_counts,
    coalesce(list_slice(list_filter((SELECT list(DISTINCT org_code) FROM key_summary),
                         lambda v: NOT list_contains($orgs, v)), 1, 10000), []) AS unknown_orgs,
    coalesce(list_slice(list_filter((SELECT list(DISTINCT staff_group) FROM key_summary),
                         lambda v: NOT list_contains($staff_groups, v)), 1, 10000), []) AS unknown_staff_groups,
    coalesce(list_slice(list_filter((SELECT list(DISTINCT measure) FROM key_summary),
                         lambda v: NOT list_contains($measures, v)), 1, 10000), []) AS unknown_measures,
    CAST(coalesce(sum(parts) FILTER (WHERE m.mask IS NULL OR value_bits & ~m.mask <> 0), 0) AS BIGINT)
        AS unknown_breakdown_rows
FROM key_summary s
LEFT JOIN masks m ON s.breakdown = m.breakdown
