-- views/quality_jumps: organisations whose latest figure of a stock measure (headcount, FTE …) differs
--   implausibly from their previous month's (e.g. ±20%): a partial submission, a coding change, or
--   a real event worth checking. Breakdown '' only; an organisation's whole-organisation figure
--   ('All staff groups') where held, else the sum of its staff groups (never both added).
-- params: $orgs (list, the organisation scope), $measures (list), $threshold (a fraction, 0.2 = 20%),
--   $all_staff_groups (the whole-organisation label).
-- columns: org_code, measure, previous_period, previous, latest_period, latest, change (fraction)
WITH monthly AS (
    SELECT org_code, measure, period,
           coalesce(sum(value) FILTER (WHERE staff_group = $all_staff_groups), sum(value)) AS value
    FROM fact
    WHERE list_contains($orgs, org_code) AND list_contains($measures, measure) AND breakdown = ''
      AND value IS NOT NULL
    GROUP BY org_code, measure, period
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY org_code, measure ORDER BY period DESC) AS recency
    FROM monthly
)
SELECT l.org_code, l.measure, p.period AS previous_period, p.value AS previous,
       l.period AS latest_period, l.value AS latest, l.value / p.value - 1 AS change
FROM ranked l
JOIN ranked p ON p.org_code = l.org_code AND p.measure = l.measure AND p.recency = 2
WHERE l.recency = 1 AND p.value > 0 AND abs(l.value / p.value - 1) > $threshold
ORDER BY abs(l.value / p.value - 1) DESC, l.org_code, l.measure
