-- store/load_event_add: a load or rollback, as the cluster sees it (after it landed).
-- params: :at, :who, :host, :database, :action, :load_id, :summary
INSERT INTO load_event (at, who, host, database, action, load_id, summary)
VALUES (:at, :who, :host, :database, :action, :load_id, :summary)
