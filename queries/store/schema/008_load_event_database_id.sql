-- store/schema/008_load_event_database_id: which database a load or rollback went into, by the id the
-- database file carries (meta database_id: made when a file is first written, kept by the loader's copies,
-- new for a rebuilt file), so a rebuilt database does not inherit the old one's loads and machines that
-- mount the data folder at different paths agree. '' for events recorded before it (the file's own history
-- stands for those).
ALTER TABLE load_event ADD COLUMN database_id TEXT NOT NULL DEFAULT ''
