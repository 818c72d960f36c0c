import { bigserial, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Mirrors migrations/0005_events_outbox_audit.sql (the SQL is the source of truth).

const tz = { withTimezone: true, mode: 'date' } as const;

/** Security-relevant actions, append-only (an UPDATE is refused by a trigger). */
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', tz).notNull().defaultNow(),
  tenantId: text('tenant_id').notNull(),
  actorId: text('actor_id').notNull(),
  action: text('action').notNull(),
  resourceKind: text('resource_kind').notNull(),
  resourceId: text('resource_id'),
  resourceOwnerId: text('resource_owner_id'),
  reason: text('reason'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
});
