-- store/commentary_for_month: the commentary written for a KPI, scope and reporting month (0 or 1 row).
-- params: :kpi, :scope, :month ('YYYY-MM'). columns: every commentary column
SELECT * FROM commentary WHERE kpi = :kpi AND scope = :scope AND month = :month
