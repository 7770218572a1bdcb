-- macros/01_wf_missing: true when a cell holds nothing or a suppression marker, so it is stored as
--   missing (NULL), never as zero. Markers: blank, *, ., -, x, :, .., [c], [x], [z], n/a, na, null
--   (case-insensitive). params: none (a temporary macro, created on each loader connection).
CREATE OR REPLACE TEMP MACRO wf_missing(x) AS
    lower(coalesce(x, '')) IN ('', '*', '.', '-', 'x', ':', '..', '[c]', '[x]', '[z]', 'n/a', 'na', 'null')
