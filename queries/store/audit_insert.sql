-- store/audit_insert: append one audit row.
-- params: :at, :who, :action, :entity, :entity_id, :old, :new (JSON text or NULL).
INSERT INTO audit (at, who, action, entity, entity_id, old, new)
VALUES (:at, :who, :action, :entity, :entity_id, :old, :new)
