-- schema/06_load_notes: what the load report said beyond the counts (skipped rows and why, the
--   sheet read, the encoding), one line per note.
ALTER TABLE load ADD COLUMN IF NOT EXISTS notes VARCHAR DEFAULT ''
