-- store/load_event_add: a load or rollback, as the cluster sees it (after it landed).
-- params: :at, :who, :host, :database, :database_id, :action, :load_id, :summary, :details (JSON)
INSERT INTO load_event (at, who, host, database, database_id, action, load_id, summary, details)
VALUES (:at, :who, :host, :database, :database_id, :action, :load_id, :summary, :details)
