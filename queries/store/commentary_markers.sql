-- store/commentary_markers: which KPIs have commentary for a scope and month, written that month
-- ('current') or carried forward from an earlier month ('carried').
-- params: :scope, :month ('YYYY-MM'). columns: kpi, kind
SELECT kpi, CASE WHEN MAX(CASE WHEN month = :month THEN 1 ELSE 0 END) = 1 THEN 'current' ELSE 'carried' END AS kind
FROM commentary
WHERE scope = :scope
  AND (month = :month
       OR (month < :month AND (closed_month IS NULL OR closed_month >= :month)
           AND NOT (status = 'closed' AND closed_month IS NULL)))
GROUP BY kpi
