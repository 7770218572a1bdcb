-- ingest/stage/skip_respelled_groups: a staff group written two ways in one file ('HCHS Doctors' and 'HCHS
--   doctors' in the Staff Group and Organisation CSV) would be the same figure twice: where both
--   spellings give the same month, organisation, measure and detail, the first row's is kept and
--   the other marked to be skipped. Run before apply_label_map, only when two labels map alike.
-- params: $raw, $label, $skip (as ingest/stage/apply_label_map.sql).
UPDATE staged
SET skip_reason = 'the same staff group written another way in the same file (''' || d.kept || ''' is used)'
FROM (
    SELECT rid, raw, kept FROM (
        SELECT s.rowid AS rid, s.staff_group AS raw,
               first_value(s.staff_group) OVER (PARTITION BY m.label, s.period_text, s.org_code, s.measure,
                                                             s.breakdown, s.breakdown_value, s.detail
                                                ORDER BY s.row_no) AS kept
        FROM staged s
        JOIN (SELECT unnest($raw) AS raw, unnest($label) AS label, unnest($skip) AS skip) m ON s.staff_group = m.raw
        WHERE s.skip_reason IS NULL AND m.skip IS NULL
    ) WHERE raw <> kept
) d
WHERE staged.rowid = d.rid
