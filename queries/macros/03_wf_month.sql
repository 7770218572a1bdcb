-- macros/03_wf_month: a date or month as written in published files → 'YYYY-MM', NULL when it is
--   not one. Accepts 2024-03, 2024-03-31, 31/03/2024, 202403, Mar 2024, March 2024, MAR2024, Mar-24.
-- params: none (a temporary macro, created on each loader connection).
CREATE OR REPLACE TEMP MACRO wf_month(x) AS
    strftime(TRY_STRPTIME(trim(x), ['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%d/%m/%Y', '%d/%m/%Y %H:%M:%S',
                                    '%Y%m', '%Y-%m', '%b %Y', '%B %Y', '%b%Y', '%b-%y', '%d-%b-%Y', '%d %B %Y']),
             '%Y-%m')
