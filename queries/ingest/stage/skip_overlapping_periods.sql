-- ingest/stage/skip_overlapping_periods: in a file of periods 'A to B' (turnover), a month given by two
--   overlapping periods keeps the later period's figure; the earlier one is marked to be skipped.
-- params: none. Run after ingest/stage/stage_publication.sql for a file whose description has period = range.
UPDATE staged
SET skip_reason = 'a month also covered by a later period in the same file (the later figures are kept)'
FROM (SELECT period_text, org_code, staff_group, measure, detail, max(window_end) AS latest_end
      FROM staged WHERE problem IS NULL AND skip_reason IS NULL
      GROUP BY ALL) l
WHERE staged.skip_reason IS NULL AND staged.problem IS NULL
  AND staged.period_text = l.period_text AND staged.org_code = l.org_code AND staged.staff_group = l.staff_group
  AND staged.measure = l.measure AND staged.detail = l.detail AND staged.window_end < l.latest_end
