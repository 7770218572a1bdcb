-- store/commentary_version_add: record a commentary's text as it now is as a new version (same
-- transaction as the change; versions are never changed or removed).
-- params: :id (the commentary)
INSERT INTO commentary_version (commentary_id, kpi, scope, month, what_happened, why, actions, owner,
                                due_date, status, closed_month, written_at, written_by)
SELECT id, kpi, scope, month, what_happened, why, actions, owner, due_date, status, closed_month,
       updated_at, updated_by
FROM commentary
WHERE id = :id
