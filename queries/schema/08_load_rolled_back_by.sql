-- schema/08_load_rolled_back_by: who rolled a load back.
ALTER TABLE load ADD COLUMN IF NOT EXISTS rolled_back_by VARCHAR
