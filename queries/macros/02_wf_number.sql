-- macros/02_wf_number: a cell as a number (thousands separators allowed), NULL when it is not one.
-- params: none (a temporary macro, created on each loader connection).
CREATE OR REPLACE TEMP MACRO wf_number(x) AS TRY_CAST(replace(x, ',', '') AS DOUBLE)
