-- skip_totals: mark a whole-organisation total ('All staff groups') to be skipped where the same
--   file gives staff-group rows for the same month, organisation, breakdown and measure: loading
--   both would count the staff twice in every total.
-- params: $all_staff_groups (the whole-organisation label).
UPDATE staged
SET skip_reason = 'a whole-organisation total given beside its staff-group rows (loading both would count staff twice)'
WHERE skip_reason IS NULL AND staff_group = $all_staff_groups
  AND EXISTS (SELECT 1 FROM staged g
              WHERE g.skip_reason IS NULL AND g.staff_group <> $all_staff_groups
                AND g.period_text = staged.period_text AND g.org_code = staged.org_code
                AND g.breakdown = staged.breakdown AND g.breakdown_value = staged.breakdown_value
                AND g.measure = staged.measure)
