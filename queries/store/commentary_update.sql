-- store/commentary_update: change the text, owner, due date and status of one commentary row.
-- params: :id, :what_happened, :why, :actions, :owner, :due_date, :status, :closed_month, :at, :who
UPDATE commentary
SET what_happened = :what_happened, why = :why, actions = :actions, owner = :owner,
    due_date = :due_date, status = :status, closed_month = :closed_month,
    updated_at = :at, updated_by = :who
WHERE id = :id
