-- store/commentary_list: all commentary for a scope ('' = every scope), newest month first.
-- params: :scope. columns: every commentary column
SELECT * FROM commentary
WHERE :scope = '' OR scope = :scope
ORDER BY month DESC, kpi, scope
