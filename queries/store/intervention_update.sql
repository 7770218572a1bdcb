-- store/intervention_update: change an intervention.
-- params: :id, :event_date, :ics, :orgs, :kpis, :label, :description, :change_point, :at, :who
UPDATE intervention
SET event_date = :event_date, ics = :ics, orgs = :orgs, kpis = :kpis, label = :label,
    description = :description, change_point = :change_point, updated_at = :at, updated_by = :who
WHERE id = :id AND deleted = 0
