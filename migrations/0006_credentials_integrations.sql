-- 0006_credentials_integrations: stored credentials (metadata only; values live in the secret
-- backend: Vault/OpenBao KV v2, Kubernetes Secrets, or the local encrypted file) and per-user
-- integrations with GitHub/GitLab instances (docs/git-and-credentials.md). No column ever holds
-- a secret value: an OAuth state is kept as its sha256.
--
-- Idempotent like every migration.

CREATE TABLE IF NOT EXISTS credentials (
  id text PRIMARY KEY,
  owner_id text NOT NULL,
  tenant_id text NOT NULL,
  name text NOT NULL,
  -- api_key | git_credential | ssh_key | oauth_token | generic
  type text NOT NULL,
  -- The keys the value has (never the values).
  keys text[] NOT NULL DEFAULT '{}',
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- `user`, or `integration` for an integration's token (removed by disconnecting it).
  managed_by text NOT NULL DEFAULT 'user',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT credentials_owner_name_key UNIQUE (owner_id, name)
);
CREATE INDEX IF NOT EXISTS credentials_tenant_idx ON credentials (tenant_id, owner_id);

CREATE TABLE IF NOT EXISTS integrations (
  id text PRIMARY KEY,
  owner_id text NOT NULL,
  tenant_id text NOT NULL,
  -- The configured provider instance's name.
  provider text NOT NULL,
  -- github | gitlab
  kind text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  -- token | oauth
  auth_method text NOT NULL,
  account text NULL,
  credential_name text NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}',
  expires_at timestamptz NULL,
  refreshed_at timestamptz NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT integrations_owner_provider_key UNIQUE (owner_id, provider)
);
-- The refresh job's query: OAuth tokens expiring soon.
CREATE INDEX IF NOT EXISTS integrations_expiry_idx ON integrations (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS integration_oauth_states (
  state_hash text PRIMARY KEY,
  owner_id text NOT NULL,
  tenant_id text NOT NULL,
  provider text NOT NULL,
  redirect_uri text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
