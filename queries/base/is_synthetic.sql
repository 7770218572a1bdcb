-- base/is_synthetic: whether the database holds the synthetic demo (meta synthetic = 'true'): real files
--   are never loaded into it.
-- params: none. columns: synthetic (BOOLEAN)
SELECT coalesce(bool_or(key = 'synthetic' AND value = 'true'), false) AS synthetic FROM meta
