import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

// Mirrors migrations/0001_init.sql (the SQL is the source of truth; schema-drift test checks it).

const tz = { withTimezone: true, mode: 'date' } as const;

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  path: text('path').notNull(),
  name: text('name').notNull(),
  parentId: text('parent_id'),
  tier: text('tier', { enum: ['developer', 'team', 'enterprise'] })
    .notNull()
    .default('developer'),
  maxRunningSessions: integer('max_running_sessions').notNull().default(5),
  maxStorageGb: integer('max_storage_gb').notNull().default(50),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  email: text('email'),
  displayName: text('display_name'),
  status: text('status', { enum: ['provisioning', 'active', 'suspended', 'failed'] })
    .notNull()
    .default('provisioning'),
  homeVolume: text('home_volume'),
  provisionError: text('provision_error'),
  provisionedAt: timestamp('provisioned_at', tz),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
});

export const tenantMemberships = pgTable(
  'tenant_memberships',
  {
    userId: text('user_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    role: text('role', { enum: ['volundr:admin', 'volundr:developer', 'volundr:viewer'] })
      .notNull()
      .default('volundr:developer'),
    grantedAt: timestamp('granted_at', tz).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tenantId] })],
);

export const personalAccessTokens = pgTable('personal_access_tokens', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull(),
  tokenPrefix: text('token_prefix').notNull(),
  sessionId: text('session_id'),
  expiresAt: timestamp('expires_at', tz),
  lastUsedAt: timestamp('last_used_at', tz),
  revokedAt: timestamp('revoked_at', tz),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
});
