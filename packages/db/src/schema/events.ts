import { sql } from 'drizzle-orm';
import { bigint, bigserial, customType, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Mirrors migrations/0001_init.sql (the SQL is the source of truth; schema-drift test checks it).

const tz = { withTimezone: true, mode: 'date' } as const;

/** PostgreSQL's 64-bit transaction id, as its decimal text. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/** The domain event log every live subscription streams from, and the outbox of the event sinks. */
export const sessionEvents = pgTable('session_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  sessionId: text('session_id'),
  tenantId: text('tenant_id').notNull(),
  ownerId: text('owner_id').notNull(),
  type: text('type').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  /** The writing transaction, set by the database; see the SQL comment and docs/database.md. */
  txId: xid8('tx_id').notNull().default(sql`pg_current_xact_id()`),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
});

/** Each event sink's position in session_events, its lease and its last failure (0001, 0005). */
export const outboxCursors = pgTable('outbox_cursors', {
  sink: text('sink').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  lastTxId: xid8('last_tx_id').notNull().default(sql`'0'::xid8`),
  leaseOwner: text('lease_owner'),
  leaseExpiresAt: timestamp('lease_expires_at', tz),
  failures: integer('failures').notNull().default(0),
  lastError: text('last_error'),
  lastErrorAt: timestamp('last_error_at', tz),
  deliveredAt: timestamp('delivered_at', tz),
});
