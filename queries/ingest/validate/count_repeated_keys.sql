-- ingest/validate/count_repeated_keys: how many groups of `key_summary` hold a key more than once (more rows than
--   distinct breakdown values) — usually none, and then validate_duplicates need not run.
-- params: none. columns: repeated
SELECT count(*) AS repeated FROM key_summary WHERE period IS NOT NULL AND parts > bit_count(value_bits)
