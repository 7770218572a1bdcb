-- store/intervention_insert: add an intervention or event to the register; returns its id.
-- params: :event_date, :ics, :orgs, :kpis, :label, :description, :change_point, :at, :who
INSERT INTO intervention (event_date, ics, orgs, kpis, label, description, change_point,
                          created_at, created_by, updated_at, updated_by)
VALUES (:event_date, :ics, :orgs, :kpis, :label, :description, :change_point, :at, :who, :at, :who)
RETURNING id
