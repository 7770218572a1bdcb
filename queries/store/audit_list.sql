-- store/audit_list: the audit log, newest first.
-- params: :limit. columns: id, at, who, action, entity, entity_id, old, new
SELECT id, at, who, action, entity, entity_id, old, new
FROM audit
ORDER BY id DESC
LIMIT :limit
