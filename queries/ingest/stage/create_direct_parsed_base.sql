-- ingest/stage/create_direct_parsed_base: the table a template file is staged into when it is the first load
--   into an empty database being written (ingest/stage/insert_direct_parsed_base.sql): fact's columns and constraints in
--   fact's order, with the file's row numbers and texts around them. Once the file passes every
--   check, ingest/apply/adopt_*.sql drop those three columns and make it `fact` — no second copy of the
--   rows. A file whose rows break a constraint (a month that is not one) is staged the usual way.
-- params: none.
CREATE OR REPLACE TABLE wf.main.parsed_base (
    row_no BIGINT,
    period_text VARCHAR,
    period DATE NOT NULL,
    org_code VARCHAR NOT NULL,
    staff_group VARCHAR NOT NULL,
    breakdown VARCHAR NOT NULL DEFAULT '',
    breakdown_value VARCHAR NOT NULL DEFAULT '',
    measure VARCHAR NOT NULL,
    value_text VARCHAR,
    value DOUBLE,
    load_id INTEGER NOT NULL
)
