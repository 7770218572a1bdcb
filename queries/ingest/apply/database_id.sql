-- ingest/apply/database_id: give the database file its id, once (kept by every later copy the loader
-- makes; a rebuilt file gets a new one): the store's load records name the database by it.
-- params: none
INSERT OR IGNORE INTO meta (key, value) VALUES ('database_id', CAST(uuid() AS VARCHAR))
