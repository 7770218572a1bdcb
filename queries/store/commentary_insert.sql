-- store/commentary_insert: new commentary for a KPI, scope and month; returns its id.
-- params: :kpi, :scope, :month, :what_happened, :why, :actions, :owner, :due_date, :status,
--   :closed_month, :at, :who
INSERT INTO commentary (kpi, scope, month, what_happened, why, actions, owner, due_date, status,
                        closed_month, created_at, created_by, updated_at, updated_by)
VALUES (:kpi, :scope, :month, :what_happened, :why, :actions, :owner, :due_date, :status,
        :closed_month, :at, :who, :at, :who)
RETURNING id
