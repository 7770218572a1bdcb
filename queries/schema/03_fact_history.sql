-- schema/03_fact_history: the values a load replaced, so the load can be rolled back.
-- grain: (load_id, natural key); old_value NULL with existed = false means the key was new.
CREATE TABLE IF NOT EXISTS fact_history (
    load_id INTEGER NOT NULL,
    period DATE NOT NULL,
    org_code VARCHAR NOT NULL,
    staff_group VARCHAR NOT NULL,
    breakdown VARCHAR NOT NULL,
    breakdown_value VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,
    existed BOOLEAN NOT NULL,
    old_value DOUBLE,
    old_load_id INTEGER
)
