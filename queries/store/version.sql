-- store/version: a number that changes whenever the store changes (the latest audit id);
-- pages key their cached charts by it.
-- params: none. columns: version
SELECT COALESCE(MAX(id), 0) AS version FROM audit
