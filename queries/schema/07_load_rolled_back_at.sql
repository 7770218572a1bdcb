-- schema/07_load_rolled_back_at: when a load was rolled back (NULL while it is in force).
ALTER TABLE load ADD COLUMN IF NOT EXISTS rolled_back_at TIMESTAMP
