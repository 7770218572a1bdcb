-- adopt_parsed_1: the first load into an empty database, staged straight into it
--   (insert_direct_parsed_base.sql), becomes its fact table without a second copy: step 1 of 5, drop the empty fact table the direct rows replace.
-- params: none.
DROP TABLE wf.main.fact
