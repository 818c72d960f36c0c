-- 0005_events_outbox_audit: what the event dispatcher and the audit log need
-- (docs/events-and-observability.md).
--
-- Outbox: each sink's cursor becomes a (tx_id, id) position, so a dispatcher reading
-- `(tx_id, id) > cursor AND tx_id < pg_snapshot_xmin(pg_current_snapshot())` in that order never
-- skips an event whose transaction commits late (docs/database.md), and a lease per sink lets
-- one API replica dispatch it at a time. Audit: an append-only table of security-relevant
-- actions, read by tenant admins.
--
-- Idempotent like every migration.

ALTER TABLE outbox_cursors ADD COLUMN IF NOT EXISTS last_tx_id xid8 NOT NULL DEFAULT '0'::xid8;
-- The replica dispatching this sink now, and until when (a replica that dies lets it expire).
ALTER TABLE outbox_cursors ADD COLUMN IF NOT EXISTS lease_owner text NULL;
ALTER TABLE outbox_cursors ADD COLUMN IF NOT EXISTS lease_expires_at timestamptz NULL;
-- The last delivery failure, so every replica's events.health can tell (cleared by a delivery).
ALTER TABLE outbox_cursors ADD COLUMN IF NOT EXISTS failures integer NOT NULL DEFAULT 0;
ALTER TABLE outbox_cursors ADD COLUMN IF NOT EXISTS last_error text NULL;
ALTER TABLE outbox_cursors ADD COLUMN IF NOT EXISTS last_error_at timestamptz NULL;
ALTER TABLE outbox_cursors ADD COLUMN IF NOT EXISTS delivered_at timestamptz NULL;

-- The dispatcher's read order.
CREATE INDEX IF NOT EXISTS session_events_tx_idx ON session_events (tx_id, id);

CREATE TABLE IF NOT EXISTS audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  tenant_id text NOT NULL,
  -- The user who acted (a user id), or `system`.
  actor_id text NOT NULL,
  -- `token.created`, `authz.acted_on_other`, … (docs/events-and-observability.md).
  action text NOT NULL,
  resource_kind text NOT NULL,
  resource_id text NULL,
  resource_owner_id text NULL,
  -- The authorization decision's reason, when the entry records one.
  reason text NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX IF NOT EXISTS audit_log_tenant_idx ON audit_log (tenant_id, id);
CREATE INDEX IF NOT EXISTS audit_log_actor_idx ON audit_log (tenant_id, actor_id, id);

-- Entries are never changed: an UPDATE is refused whoever runs it (retention may DELETE old rows).
CREATE OR REPLACE FUNCTION audit_log_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log entries cannot be changed';
END $$;

DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_update();
