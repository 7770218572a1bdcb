-- ingest/stage/use_staged_total: make the added-up rows (`staged_total`, from ingest/stage/aggregate_staged.sql) the staged
--   rows, once the finer `staged` table has been dropped, so one parse query serves every file.
-- params: none.
ALTER TABLE staged_total RENAME TO staged
