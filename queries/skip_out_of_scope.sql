-- skip_out_of_scope: in a national publication file, mark the rows of organisations the dashboard
--   does not hold (not in config.yaml) to be skipped — they are not errors in such a file.
-- params: $orgs (the organisation codes in config.yaml).
UPDATE staged
SET skip_reason = 'an organisation outside the dashboard (not in config.yaml)'
WHERE skip_reason IS NULL AND NOT list_contains($orgs, org_code)
