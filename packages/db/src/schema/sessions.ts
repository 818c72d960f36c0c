import { sql } from 'drizzle-orm';
import { bigint, integer, jsonb, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Mirrors migrations/0001_init.sql (the SQL is the source of truth; schema-drift test checks it).
// jsonb columns are typed `unknown`: the repository parses them with the contracts' zod schemas.

const tz = { withTimezone: true, mode: 'date' } as const;

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  ownerId: text('owner_id').notNull(),
  tenantId: text('tenant_id').notNull(),
  model: text('model').notNull(),
  source: jsonb('source').notNull(),
  state: text('state', {
    enum: ['created', 'starting', 'provisioning', 'running', 'stopping', 'stopped', 'failed', 'archived'],
  })
    .notNull()
    .default('created'),
  stateReason: text('state_reason'),
  version: integer('version').notNull().default(1),
  launch: jsonb('launch').notNull().default({}),
  spec: jsonb('spec'),
  // JSON null when the session has no endpoints (0002_session_presets.sql).
  endpoints: jsonb('endpoints').notNull().default(sql`'null'::jsonb`),
  runtime: jsonb('runtime').notNull().default({}),
  templateName: text('template_name'),
  profileName: text('profile_name'),
  presetId: text('preset_id'),
  parentChronicleId: text('parent_chronicle_id'),
  idleTimeoutMinutes: integer('idle_timeout_minutes'),
  activityState: text('activity_state', { enum: ['active', 'idle', 'tool_executing'] })
    .notNull()
    .default('idle'),
  activityMetadata: jsonb('activity_metadata').$type<Record<string, unknown>>().notNull().default({}),
  lastActivityAt: timestamp('last_activity_at', tz),
  tokensUsed: bigint('tokens_used', { mode: 'number' }).notNull().default(0),
  costUsd: numeric('cost_usd', { precision: 14, scale: 6, mode: 'number' }).notNull().default(0),
  messageCount: integer('message_count').notNull().default(0),
  leaseOwner: text('lease_owner'),
  leaseExpiresAt: timestamp('lease_expires_at', tz),
  provisioningStartedAt: timestamp('provisioning_started_at', tz),
  runningSince: timestamp('running_since', tz),
  stoppedAt: timestamp('stopped_at', tz),
  archivedAt: timestamp('archived_at', tz),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
});
