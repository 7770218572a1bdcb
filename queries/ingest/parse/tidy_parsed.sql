-- ingest/parse/tidy_parsed: forgive what people type into a template when validation finds problems: spaces
--   around cells, lower-case organisation codes, upper-case measure and breakdown ids. The typed
--   columns are worked out again from the tidied text; validation then runs again.
-- params: none.
UPDATE parsed_base SET
    period_text = trim(period_text),
    period = CASE WHEN period_text IS NULL THEN period ELSE TRY_CAST(trim(period_text) || '-01' AS DATE) END,
    org_code = upper(trim(org_code)),
    staff_group = trim(staff_group),
    breakdown = lower(trim(breakdown)),
    breakdown_value = trim(breakdown_value),
    measure = lower(trim(measure)),
    value_text = trim(value_text),
    value = CASE WHEN value_text IS NULL THEN value ELSE wf_number(trim(value_text)) END
