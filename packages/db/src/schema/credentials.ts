import { boolean, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Mirrors migrations/0006_credentials_integrations.sql (the SQL is the source of truth; the schema-drift test checks it).

const tz = { withTimezone: true, mode: 'date' } as const;

/** Credential metadata; the values are only in the secret backend. */
export const credentials = pgTable('credentials', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull(),
  tenantId: text('tenant_id').notNull(),
  name: text('name').notNull(),
  type: text('type', { enum: ['api_key', 'git_credential', 'ssh_key', 'oauth_token', 'generic'] }).notNull(),
  keys: text('keys').array().notNull().default([]),
  metadata: jsonb('metadata').notNull().default({}),
  managedBy: text('managed_by', { enum: ['user', 'integration'] })
    .notNull()
    .default('user'),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
});

export const integrations = pgTable('integrations', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull(),
  tenantId: text('tenant_id').notNull(),
  provider: text('provider').notNull(),
  kind: text('kind', { enum: ['github', 'gitlab'] }).notNull(),
  enabled: boolean('enabled').notNull().default(true),
  authMethod: text('auth_method', { enum: ['token', 'oauth'] }).notNull(),
  account: text('account'),
  credentialName: text('credential_name').notNull(),
  scopes: text('scopes').array().notNull().default([]),
  expiresAt: timestamp('expires_at', tz),
  refreshedAt: timestamp('refreshed_at', tz),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
});

/** OAuth authorizations in flight (the state's sha256, never the state). */
export const integrationOAuthStates = pgTable('integration_oauth_states', {
  stateHash: text('state_hash').primaryKey(),
  ownerId: text('owner_id').notNull(),
  tenantId: text('tenant_id').notNull(),
  provider: text('provider').notNull(),
  redirectUri: text('redirect_uri').notNull(),
  expiresAt: timestamp('expires_at', tz).notNull(),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
});
