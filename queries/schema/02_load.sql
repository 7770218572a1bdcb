-- schema/02_load: the load history, one row per file loaded (or rolled back).
CREATE TABLE IF NOT EXISTS load (
    load_id INTEGER PRIMARY KEY,
    file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    rows_in BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    rows_missing BIGINT NOT NULL,
    rows_new BIGINT NOT NULL,
    rows_changed BIGINT NOT NULL,
    rows_unchanged BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by VARCHAR NOT NULL,
    status VARCHAR NOT NULL
)
