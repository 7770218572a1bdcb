-- schema/01_fact: one row per additive component at the finest grain received.
-- grain: (period, org_code, staff_group, breakdown, breakdown_value, measure); unique by load logic
-- period is the first day of the month; breakdown '' marks totals; value NULL = suppressed/missing.
CREATE TABLE IF NOT EXISTS fact (
    period DATE NOT NULL,
    org_code VARCHAR NOT NULL,
    staff_group VARCHAR NOT NULL,
    breakdown VARCHAR NOT NULL DEFAULT '',
    breakdown_value VARCHAR NOT NULL DEFAULT '',
    measure VARCHAR NOT NULL,
    value DOUBLE,
    load_id INTEGER NOT NULL
)
