-- store/commentary_get: one commentary row by id.
-- params: :id. columns: every commentary column
SELECT * FROM commentary WHERE id = :id
