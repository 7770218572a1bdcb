-- schema/04_meta: key/value facts about the database (synthetic flag, data generation, built_at).
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)
