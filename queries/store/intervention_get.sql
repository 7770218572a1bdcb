-- store/intervention_get: one intervention by id (deleted ones too, for the audit).
-- params: :id. columns: every intervention column
SELECT * FROM intervention WHERE id = :id
