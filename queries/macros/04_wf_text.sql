-- macros/04_wf_text: a text cell trimmed, NUL bytes removed, NULL as ''.
-- params: none (a temporary macro, created on each loader connection).
CREATE OR REPLACE TEMP MACRO wf_text(x) AS trim(replace(coalesce(x, ''), chr(0), ''))
