-- parse_staged_total: as parse_staged, from `staged_total` (a file whose finer rows were added up).
-- params: none. columns: as parse_staged.sql
CREATE OR REPLACE TEMP TABLE parsed_base AS
SELECT
    row_no,
    period_text,
    TRY_CAST(period_text || '-01' AS DATE) AS period,
    org_code, staff_group, breakdown, breakdown_value, measure,
    value_text,
    wf_number(value_text) AS value,
    value_column, problem_column, problem_value, problem
FROM staged_total
