-- store/commentary_carried: earlier months' commentary whose actions are carried forward into :month —
-- not closed, or closed in :month itself (shown once more as closed) — newest first.
-- params: :kpi, :scope, :month ('YYYY-MM'). columns: every commentary column
SELECT * FROM commentary
WHERE kpi = :kpi AND scope = :scope AND month < :month
  AND (closed_month IS NULL OR closed_month >= :month)
  AND NOT (status = 'closed' AND closed_month IS NULL)
ORDER BY month DESC
