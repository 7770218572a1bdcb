-- macros/02_wf_number: a cell as a number, NULL when it is not one. Thousands separators are
--   accepted only where they separate thousands (`1,210.5`, `30,250`); a decimal comma (`1210,5`,
--   `0,5`) is not a number — never silently read as 12105 or 5 (validation names its row and column).
-- params: none (a temporary macro, created on each loader connection).
CREATE OR REPLACE TEMP MACRO wf_number(x) AS
    CASE WHEN NOT contains(x, ',') THEN TRY_CAST(x AS DOUBLE)
         WHEN regexp_full_match(trim(x), '[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?')
             THEN TRY_CAST(replace(x, ',', '') AS DOUBLE) END
