-- 0001_init: the initial schema (tenants, users, sessions, their events, presets, workspaces,
-- chronicles, timeline, usage, personal access tokens, the outbox cursors).
--
-- Idempotent: every statement can run again on a database that already has it and changes
-- nothing (tables and indexes with IF NOT EXISTS, constraints behind DO $$ guards). The runner
-- (packages/db/src/migrate.ts) applies it once inside a transaction and records its checksum;
-- never edit it after release: add 0002_… instead (docs/database.md).
--
-- Ids are text holding UUIDs, except users.id (the IdP subject) and tenants.id (may be an IdP
-- tenant claim such as Entra's `tid`). Timestamps are timestamptz.

-- ── tenants ─────────────────────────────────────────────────────────────────────────────────
CREATE TABLE IF NOT EXISTS tenants (
  id text PRIMARY KEY,
  -- Materialized path of slugs, '/acme/team-a/': a subtree is `path LIKE '/acme/%'`.
  path text NOT NULL,
  name text NOT NULL,
  parent_id text NULL,
  tier text NOT NULL DEFAULT 'developer',
  max_running_sessions integer NOT NULL DEFAULT 5,
  max_storage_gb integer NOT NULL DEFAULT 50,
  created_at timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'tenants_path_key' AND conrelid = 'tenants'::regclass) THEN
    ALTER TABLE tenants ADD CONSTRAINT tenants_path_key UNIQUE (path);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'tenants_path_check' AND conrelid = 'tenants'::regclass) THEN
    ALTER TABLE tenants ADD CONSTRAINT tenants_path_check CHECK (path ~ '^(/[^/]+)+/$');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'tenants_parent_id_fkey' AND conrelid = 'tenants'::regclass) THEN
    ALTER TABLE tenants ADD CONSTRAINT tenants_parent_id_fkey
      FOREIGN KEY (parent_id) REFERENCES tenants (id) ON DELETE RESTRICT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'tenants_tier_check' AND conrelid = 'tenants'::regclass) THEN
    ALTER TABLE tenants ADD CONSTRAINT tenants_tier_check CHECK (tier IN ('developer', 'team', 'enterprise'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'tenants_quota_check' AND conrelid = 'tenants'::regclass) THEN
    ALTER TABLE tenants ADD CONSTRAINT tenants_quota_check CHECK (max_running_sessions >= 0 AND max_storage_gb >= 0);
  END IF;
END $$;

CREATE INDEX IF NOT EXISTS tenants_parent_id_idx ON tenants (parent_id);

-- ── users ───────────────────────────────────────────────────────────────────────────────────
CREATE TABLE IF NOT EXISTS users (
  id text PRIMARY KEY, -- the IdP subject (`sub`)
  email text NULL,
  display_name text NULL,
  status text NOT NULL DEFAULT 'provisioning',
  home_volume text NULL,
  provision_error text NULL,
  provisioned_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'users_status_check' AND conrelid = 'users'::regclass) THEN
    ALTER TABLE users ADD CONSTRAINT users_status_check
      CHECK (status IN ('provisioning', 'active', 'suspended', 'failed'));
  END IF;
END $$;

-- Not unique: an IdP may reuse an address for a new subject, and that must not block login.
CREATE INDEX IF NOT EXISTS users_email_idx ON users (lower(email));

-- ── tenant_memberships ──────────────────────────────────────────────────────────────────────
CREATE TABLE IF NOT EXISTS tenant_memberships (
  user_id text NOT NULL,
  tenant_id text NOT NULL,
  role text NOT NULL DEFAULT 'volundr:developer',
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, tenant_id)
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'tenant_memberships_user_id_fkey' AND conrelid = 'tenant_memberships'::regclass) THEN
    ALTER TABLE tenant_memberships ADD CONSTRAINT tenant_memberships_user_id_fkey
      FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'tenant_memberships_tenant_id_fkey' AND conrelid = 'tenant_memberships'::regclass) THEN
    ALTER TABLE tenant_memberships ADD CONSTRAINT tenant_memberships_tenant_id_fkey
      FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'tenant_memberships_role_check' AND conrelid = 'tenant_memberships'::regclass) THEN
    ALTER TABLE tenant_memberships ADD CONSTRAINT tenant_memberships_role_check
      CHECK (role IN ('volundr:admin', 'volundr:developer', 'volundr:viewer'));
  END IF;
END $$;

CREATE INDEX IF NOT EXISTS tenant_memberships_tenant_id_idx ON tenant_memberships (tenant_id);

-- ── presets ─────────────────────────────────────────────────────────────────────────────────
CREATE TABLE IF NOT EXISTS presets (
  id text PRIMARY KEY,
  owner_id text NOT NULL,
  tenant_id text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  cli_tool text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  model text NULL,
  system_prompt text NULL,
  resources jsonb NOT NULL DEFAULT '{}'::jsonb,
  env jsonb NOT NULL DEFAULT '{}'::jsonb,
  mcp_servers jsonb NOT NULL DEFAULT '{}'::jsonb,
  template_name text NULL,
  profile_name text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'presets_owner_id_fkey' AND conrelid = 'presets'::regclass) THEN
    ALTER TABLE presets ADD CONSTRAINT presets_owner_id_fkey
      FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'presets_tenant_id_fkey' AND conrelid = 'presets'::regclass) THEN
    ALTER TABLE presets ADD CONSTRAINT presets_tenant_id_fkey
      FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'presets_cli_tool_check' AND conrelid = 'presets'::regclass) THEN
    ALTER TABLE presets ADD CONSTRAINT presets_cli_tool_check CHECK (cli_tool IN ('claude', 'codex'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'presets_owner_id_name_key' AND conrelid = 'presets'::regclass) THEN
    ALTER TABLE presets ADD CONSTRAINT presets_owner_id_name_key UNIQUE (owner_id, name);
  END IF;
END $$;

-- At most one default preset per user and CLI.
CREATE UNIQUE INDEX IF NOT EXISTS presets_owner_default_key ON presets (owner_id, cli_tool) WHERE is_default;

-- ── sessions ────────────────────────────────────────────────────────────────────────────────
CREATE TABLE IF NOT EXISTS sessions (
  id text PRIMARY KEY,
  name text NOT NULL,
  owner_id text NOT NULL,
  tenant_id text NOT NULL,
  model text NOT NULL,
  source jsonb NOT NULL,
  state text NOT NULL DEFAULT 'created',
  state_reason text NULL,
  -- Optimistic concurrency: every lifecycle write is `... WHERE version = $expected`.
  version integer NOT NULL DEFAULT 1,
  launch jsonb NOT NULL DEFAULT '{}'::jsonb,
  spec jsonb NULL,
  endpoints jsonb NOT NULL DEFAULT '{}'::jsonb,
  runtime jsonb NOT NULL DEFAULT '{}'::jsonb,
  template_name text NULL,
  profile_name text NULL,
  preset_id text NULL,
  parent_chronicle_id text NULL,
  idle_timeout_minutes integer NULL,
  activity_state text NOT NULL DEFAULT 'idle',
  activity_metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_activity_at timestamptz NULL,
  tokens_used bigint NOT NULL DEFAULT 0,
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
  message_count integer NOT NULL DEFAULT 0,
  -- Reconciler lease: which API process drives this session's provisioning, and until when.
  lease_owner text NULL,
  lease_expires_at timestamptz NULL,
  provisioning_started_at timestamptz NULL,
  running_since timestamptz NULL,
  stopped_at timestamptz NULL,
  archived_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'sessions_owner_id_fkey' AND conrelid = 'sessions'::regclass) THEN
    ALTER TABLE sessions ADD CONSTRAINT sessions_owner_id_fkey
      FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE RESTRICT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'sessions_tenant_id_fkey' AND conrelid = 'sessions'::regclass) THEN
    ALTER TABLE sessions ADD CONSTRAINT sessions_tenant_id_fkey
      FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'sessions_preset_id_fkey' AND conrelid = 'sessions'::regclass) THEN
    ALTER TABLE sessions ADD CONSTRAINT sessions_preset_id_fkey
      FOREIGN KEY (preset_id) REFERENCES presets (id) ON DELETE SET NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'sessions_state_check' AND conrelid = 'sessions'::regclass) THEN
    ALTER TABLE sessions ADD CONSTRAINT sessions_state_check CHECK (state IN
      ('created', 'starting', 'provisioning', 'running', 'stopping', 'stopped', 'failed', 'archived'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'sessions_activity_state_check' AND conrelid = 'sessions'::regclass) THEN
    ALTER TABLE sessions ADD CONSTRAINT sessions_activity_state_check
      CHECK (activity_state IN ('active', 'idle', 'tool_executing'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'sessions_counters_check' AND conrelid = 'sessions'::regclass) THEN
    ALTER TABLE sessions ADD CONSTRAINT sessions_counters_check
      CHECK (version >= 1 AND tokens_used >= 0 AND cost_usd >= 0 AND message_count >= 0);
  END IF;
END $$;

-- A name is unique among a user's sessions that are not archived (archived names can be reused).
CREATE UNIQUE INDEX IF NOT EXISTS sessions_owner_name_key ON sessions (owner_id, name) WHERE state <> 'archived';
-- The reconciler's scan: work states whose lease is free or expired.
CREATE INDEX IF NOT EXISTS sessions_state_lease_idx ON sessions (state, lease_expires_at);
-- Keyset pagination of lists, newest first.
CREATE INDEX IF NOT EXISTS sessions_list_idx ON sessions (tenant_id, owner_id, created_at DESC, id DESC);

-- ── session_events (the domain event log and the outbox) ────────────────────────────────────
-- No foreign key to sessions on purpose: the log is append-only and outlives the session (a
-- `session_deleted` event must be stored and dispatched after its row is gone).
CREATE TABLE IF NOT EXISTS session_events (
  id bigserial PRIMARY KEY,
  session_id text NULL,
  tenant_id text NOT NULL,
  owner_id text NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The writing transaction. Ids are assigned before commit, so on PostgreSQL a reader that
  -- follows `id > cursor` can pass an id whose transaction commits later; reading only rows
  -- with `tx_id < pg_snapshot_xmin(pg_current_snapshot())` never skips one (docs/database.md).
  tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS session_events_session_idx ON session_events (session_id, id);
CREATE INDEX IF NOT EXISTS session_events_tenant_idx ON session_events (tenant_id, id);

-- Each event sink's position in session_events.
CREATE TABLE IF NOT EXISTS outbox_cursors (
  sink text PRIMARY KEY,
  last_event_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- ── workspaces ──────────────────────────────────────────────────────────────────────────────
CREATE TABLE IF NOT EXISTS workspaces (
  id text PRIMARY KEY,
  session_id text NULL, -- the workspace outlives its session (archived, then deleted)
  owner_id text NOT NULL,
  tenant_id text NOT NULL,
  volume_name text NOT NULL,
  status text NOT NULL DEFAULT 'active',
  size_gb integer NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz NULL,
  deleted_at timestamptz NULL
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'workspaces_session_id_fkey' AND conrelid = 'workspaces'::regclass) THEN
    ALTER TABLE workspaces ADD CONSTRAINT workspaces_session_id_fkey
      FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE SET NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'workspaces_owner_id_fkey' AND conrelid = 'workspaces'::regclass) THEN
    ALTER TABLE workspaces ADD CONSTRAINT workspaces_owner_id_fkey
      FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE RESTRICT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'workspaces_tenant_id_fkey' AND conrelid = 'workspaces'::regclass) THEN
    ALTER TABLE workspaces ADD CONSTRAINT workspaces_tenant_id_fkey
      FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'workspaces_status_check' AND conrelid = 'workspaces'::regclass) THEN
    ALTER TABLE workspaces ADD CONSTRAINT workspaces_status_check CHECK (status IN ('active', 'archived', 'deleted'));
  END IF;
END $$;

CREATE INDEX IF NOT EXISTS workspaces_session_id_idx ON workspaces (session_id);
CREATE INDEX IF NOT EXISTS workspaces_owner_id_idx ON workspaces (owner_id, created_at DESC);
-- One live workspace record per volume.
CREATE UNIQUE INDEX IF NOT EXISTS workspaces_volume_name_key ON workspaces (volume_name) WHERE status <> 'deleted';

-- ── chronicles ──────────────────────────────────────────────────────────────────────────────
CREATE TABLE IF NOT EXISTS chronicles (
  id text PRIMARY KEY,
  session_id text NULL, -- set null when the session is deleted: the chronicle is kept
  owner_id text NOT NULL,
  tenant_id text NOT NULL,
  status text NOT NULL DEFAULT 'draft',
  -- True when the chronicle was completed without the broker's final report (crash, timeout).
  partial boolean NOT NULL DEFAULT false,
  project text NULL,
  repo text NULL,
  branch text NULL,
  model text NULL,
  template_name text NULL,
  config_snapshot jsonb NOT NULL DEFAULT '{}'::jsonb,
  summary text NULL,
  key_changes jsonb NOT NULL DEFAULT '[]'::jsonb,
  unfinished_work text NULL,
  tokens_used bigint NOT NULL DEFAULT 0,
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
  duration_seconds integer NULL,
  tags text[] NOT NULL DEFAULT '{}',
  parent_chronicle_id text NULL,
  report_received_at timestamptz NULL,
  completed_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chronicles_session_id_fkey' AND conrelid = 'chronicles'::regclass) THEN
    ALTER TABLE chronicles ADD CONSTRAINT chronicles_session_id_fkey
      FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE SET NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chronicles_owner_id_fkey' AND conrelid = 'chronicles'::regclass) THEN
    ALTER TABLE chronicles ADD CONSTRAINT chronicles_owner_id_fkey
      FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE RESTRICT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chronicles_tenant_id_fkey' AND conrelid = 'chronicles'::regclass) THEN
    ALTER TABLE chronicles ADD CONSTRAINT chronicles_tenant_id_fkey
      FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chronicles_parent_chronicle_id_fkey' AND conrelid = 'chronicles'::regclass) THEN
    ALTER TABLE chronicles ADD CONSTRAINT chronicles_parent_chronicle_id_fkey
      FOREIGN KEY (parent_chronicle_id) REFERENCES chronicles (id) ON DELETE SET NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chronicles_status_check' AND conrelid = 'chronicles'::regclass) THEN
    ALTER TABLE chronicles ADD CONSTRAINT chronicles_status_check CHECK (status IN ('draft', 'complete'));
  END IF;
  -- sessions.parent_chronicle_id is added here, once chronicles exists.
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'sessions_parent_chronicle_id_fkey' AND conrelid = 'sessions'::regclass) THEN
    ALTER TABLE sessions ADD CONSTRAINT sessions_parent_chronicle_id_fkey
      FOREIGN KEY (parent_chronicle_id) REFERENCES chronicles (id) ON DELETE SET NULL;
  END IF;
END $$;

CREATE INDEX IF NOT EXISTS chronicles_list_idx ON chronicles (tenant_id, owner_id, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS chronicles_session_id_idx ON chronicles (session_id);
CREATE INDEX IF NOT EXISTS chronicles_parent_chronicle_id_idx ON chronicles (parent_chronicle_id);

-- ── timeline_events ─────────────────────────────────────────────────────────────────────────
CREATE TABLE IF NOT EXISTS timeline_events (
  id bigserial PRIMARY KEY,
  chronicle_id text NOT NULL,
  session_id text NULL,
  -- Set by the reporter (the broker) so a retried report is stored once.
  idempotency_key text NULL,
  t integer NOT NULL, -- seconds since the session started
  type text NOT NULL,
  label text NOT NULL,
  action text NULL,
  insertions integer NULL,
  deletions integer NULL,
  hash text NULL,
  exit_code integer NULL,
  tokens integer NULL,
  model text NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'timeline_events_chronicle_id_fkey' AND conrelid = 'timeline_events'::regclass) THEN
    ALTER TABLE timeline_events ADD CONSTRAINT timeline_events_chronicle_id_fkey
      FOREIGN KEY (chronicle_id) REFERENCES chronicles (id) ON DELETE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'timeline_events_session_id_fkey' AND conrelid = 'timeline_events'::regclass) THEN
    ALTER TABLE timeline_events ADD CONSTRAINT timeline_events_session_id_fkey
      FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE SET NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'timeline_events_idempotency_key_key' AND conrelid = 'timeline_events'::regclass) THEN
    ALTER TABLE timeline_events ADD CONSTRAINT timeline_events_idempotency_key_key UNIQUE (idempotency_key);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'timeline_events_t_check' AND conrelid = 'timeline_events'::regclass) THEN
    ALTER TABLE timeline_events ADD CONSTRAINT timeline_events_t_check CHECK (t >= 0);
  END IF;
END $$;

CREATE INDEX IF NOT EXISTS timeline_events_chronicle_t_idx ON timeline_events (chronicle_id, t);

-- ── token_usage ─────────────────────────────────────────────────────────────────────────────
CREATE TABLE IF NOT EXISTS token_usage (
  id bigserial PRIMARY KEY,
  session_id text NOT NULL,
  idempotency_key text NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  model text NOT NULL,
  provider text NOT NULL,
  input_tokens bigint NOT NULL DEFAULT 0,
  output_tokens bigint NOT NULL DEFAULT 0,
  cache_read_tokens bigint NOT NULL DEFAULT 0,
  cache_write_tokens bigint NOT NULL DEFAULT 0,
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'token_usage_session_id_fkey' AND conrelid = 'token_usage'::regclass) THEN
    ALTER TABLE token_usage ADD CONSTRAINT token_usage_session_id_fkey
      FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'token_usage_idempotency_key_key' AND conrelid = 'token_usage'::regclass) THEN
    ALTER TABLE token_usage ADD CONSTRAINT token_usage_idempotency_key_key UNIQUE (idempotency_key);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'token_usage_counts_check' AND conrelid = 'token_usage'::regclass) THEN
    ALTER TABLE token_usage ADD CONSTRAINT token_usage_counts_check CHECK (input_tokens >= 0 AND output_tokens >= 0
      AND cache_read_tokens >= 0 AND cache_write_tokens >= 0 AND cost_usd >= 0);
  END IF;
END $$;

CREATE INDEX IF NOT EXISTS token_usage_session_idx ON token_usage (session_id, recorded_at);

-- ── personal_access_tokens ──────────────────────────────────────────────────────────────────
CREATE TABLE IF NOT EXISTS personal_access_tokens (
  id text PRIMARY KEY,
  owner_id text NOT NULL,
  name text NOT NULL,
  token_hash text NOT NULL, -- sha256 (hex) of the token; the token itself is never stored
  token_prefix text NOT NULL, -- the first characters, so a person can tell tokens apart
  session_id text NULL, -- a token scoped to one session (its broker's), dies with it
  expires_at timestamptz NULL,
  last_used_at timestamptz NULL,
  revoked_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'personal_access_tokens_owner_id_fkey' AND conrelid = 'personal_access_tokens'::regclass) THEN
    ALTER TABLE personal_access_tokens ADD CONSTRAINT personal_access_tokens_owner_id_fkey
      FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'personal_access_tokens_session_id_fkey' AND conrelid = 'personal_access_tokens'::regclass) THEN
    ALTER TABLE personal_access_tokens ADD CONSTRAINT personal_access_tokens_session_id_fkey
      FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'personal_access_tokens_token_hash_key' AND conrelid = 'personal_access_tokens'::regclass) THEN
    ALTER TABLE personal_access_tokens ADD CONSTRAINT personal_access_tokens_token_hash_key UNIQUE (token_hash);
  END IF;
END $$;

-- A name is unique among a user's live tokens (a revoked token's name can be reused).
CREATE UNIQUE INDEX IF NOT EXISTS personal_access_tokens_owner_name_key
  ON personal_access_tokens (owner_id, name) WHERE revoked_at IS NULL;
