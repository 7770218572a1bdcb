-- store/schema/003_audit.sqlite: every change to the store, appended in the same transaction as the change.
-- action: add | update | close | delete; entity: commentary | intervention;
-- old / new: the whole record as JSON before and after (NULL for an add / a delete's new).
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    old TEXT,
    new TEXT
)
