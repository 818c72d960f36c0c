import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Mirrors migrations/0001_init.sql (the SQL is the source of truth; schema-drift test checks it).

const tz = { withTimezone: true, mode: 'date' } as const;

export const workspaces = pgTable('workspaces', {
  id: text('id').primaryKey(),
  sessionId: text('session_id'),
  ownerId: text('owner_id').notNull(),
  tenantId: text('tenant_id').notNull(),
  volumeName: text('volume_name').notNull(),
  status: text('status', { enum: ['active', 'archived', 'deleted'] })
    .notNull()
    .default('active'),
  sizeGb: integer('size_gb'),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  archivedAt: timestamp('archived_at', tz),
  deletedAt: timestamp('deleted_at', tz),
});
