-- store/intervention_list: the register (not deleted), oldest event first.
-- params: none. columns: every intervention column
SELECT * FROM intervention WHERE deleted = 0 ORDER BY event_date, id
