-- store/commentary_versions: every version of every commentary ever written, numbered per commentary
-- (1 = first), newest month first, then in the order written.
-- params: none. columns: id, commentary_id, version, kpi, scope, month, what_happened, why, actions,
--   owner, due_date, status, closed_month, written_at, written_by
SELECT id, commentary_id,
       ROW_NUMBER() OVER (PARTITION BY commentary_id ORDER BY id) AS version,
       kpi, scope, month, what_happened, why, actions, owner, due_date, status, closed_month,
       written_at, written_by
FROM commentary_version
ORDER BY month DESC, kpi, scope, id
