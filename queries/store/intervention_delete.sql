-- store/intervention_delete: remove an intervention from the register (kept, flagged deleted).
-- params: :id, :at, :who
UPDATE intervention SET deleted = 1, updated_at = :at, updated_by = :who WHERE id = :id AND deleted = 0
