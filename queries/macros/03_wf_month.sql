-- macros/03_wf_month: a date or month as written in published files → 'YYYY-MM', NULL when it is
--   not one. Accepts 2024-03, 2024-03-31, 2024-04-30T00:00:00, 31/03/2024, 31/03/2025 00:00, 202403,
--   2014-APR, 2019-Jan, Mar 2024, March 2024, MAR2024, Mar-24.
-- params: none (a temporary macro, created on each loader connection).
CREATE OR REPLACE TEMP MACRO wf_month(x) AS
    strftime(TRY_STRPTIME(trim(x), ['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%d/%m/%Y',
                                    '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%Y%m', '%Y-%m', '%Y-%b',
                                    '%b %Y', '%B %Y', '%b%Y', '%b-%y', '%d-%b-%Y', '%d %B %Y']),
             '%Y-%m')
