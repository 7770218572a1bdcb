-- store/schema/005_commentary_version_backfill: a store from before versions gets each commentary's
-- current text as its first version (earlier texts stay in the audit's old/new records).
INSERT INTO commentary_version (commentary_id, kpi, scope, month, what_happened, why, actions, owner,
                                due_date, status, closed_month, written_at, written_by)
SELECT id, kpi, scope, month, what_happened, why, actions, owner, due_date, status, closed_month,
       updated_at, updated_by
FROM commentary
WHERE id NOT IN (SELECT commentary_id FROM commentary_version)
