import {
  bigint,
  bigserial,
  boolean,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

// Mirrors migrations/0001_init.sql and 0003_chronicle_aggregates.sql (the SQL is the source of truth; schema-drift test checks it).

const tz = { withTimezone: true, mode: 'date' } as const;

export const chronicles = pgTable('chronicles', {
  id: text('id').primaryKey(),
  sessionId: text('session_id'),
  ownerId: text('owner_id').notNull(),
  tenantId: text('tenant_id').notNull(),
  status: text('status', { enum: ['draft', 'complete'] })
    .notNull()
    .default('draft'),
  partial: boolean('partial').notNull().default(false),
  project: text('project'),
  repo: text('repo'),
  branch: text('branch'),
  model: text('model'),
  templateName: text('template_name'),
  configSnapshot: jsonb('config_snapshot').notNull().default({}),
  summary: text('summary'),
  keyChanges: jsonb('key_changes').notNull().default([]),
  unfinishedWork: text('unfinished_work'),
  tokensUsed: bigint('tokens_used', { mode: 'number' }).notNull().default(0),
  costUsd: numeric('cost_usd', { precision: 14, scale: 6, mode: 'number' }).notNull().default(0),
  durationSeconds: integer('duration_seconds'),
  tags: text('tags').array().notNull().default([]),
  parentChronicleId: text('parent_chronicle_id'),
  startedAt: timestamp('started_at', tz),
  reportReceivedAt: timestamp('report_received_at', tz),
  completedAt: timestamp('completed_at', tz),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
});

export const timelineEvents = pgTable('timeline_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  chronicleId: text('chronicle_id').notNull(),
  sessionId: text('session_id'),
  idempotencyKey: text('idempotency_key'),
  /** Seconds since the session started. */
  t: integer('t').notNull(),
  type: text('type').notNull(),
  label: text('label').notNull(),
  action: text('action'),
  insertions: integer('insertions'),
  deletions: integer('deletions'),
  hash: text('hash'),
  exitCode: integer('exit_code'),
  tokens: integer('tokens'),
  model: text('model'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
});

/** The file summary, maintained as `file` events arrive (0003). */
export const chronicleFiles = pgTable(
  'chronicle_files',
  {
    chronicleId: text('chronicle_id').notNull(),
    path: text('path').notNull(),
    insertions: bigint('insertions', { mode: 'number' }).notNull().default(0),
    deletions: bigint('deletions', { mode: 'number' }).notNull().default(0),
    changes: integer('changes').notNull().default(0),
    created: boolean('created').notNull().default(false),
    deleted: boolean('deleted').notNull().default(false),
    lastChangedAt: timestamp('last_changed_at', tz).notNull(),
  },
  (table) => [primaryKey({ columns: [table.chronicleId, table.path] })],
);
