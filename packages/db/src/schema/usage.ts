import { bigint, bigserial, integer, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

// Mirrors migrations/0001_init.sql and 0004_token_usage_minutes.sql (the SQL is the source of truth; schema-drift test checks it).

const tz = { withTimezone: true, mode: 'date' } as const;
const count = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);

export const tokenUsage = pgTable('token_usage', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  sessionId: text('session_id').notNull(),
  idempotencyKey: text('idempotency_key'),
  recordedAt: timestamp('recorded_at', tz).notNull().defaultNow(),
  model: text('model').notNull(),
  provider: text('provider').notNull(),
  inputTokens: count('input_tokens'),
  outputTokens: count('output_tokens'),
  cacheReadTokens: count('cache_read_tokens'),
  cacheWriteTokens: count('cache_write_tokens'),
  costUsd: numeric('cost_usd', { precision: 14, scale: 6, mode: 'number' }).notNull().default(0),
});

/** Usage summed per session, minute (epoch seconds / 60) and model, maintained on insert (0004). */
export const tokenUsageMinutes = pgTable(
  'token_usage_minutes',
  {
    sessionId: text('session_id').notNull(),
    minute: bigint('minute', { mode: 'number' }).notNull(),
    model: text('model').notNull(),
    turns: integer('turns').notNull().default(0),
    inputTokens: count('input_tokens'),
    outputTokens: count('output_tokens'),
    cacheReadTokens: count('cache_read_tokens'),
    cacheWriteTokens: count('cache_write_tokens'),
    costUsd: numeric('cost_usd', { precision: 14, scale: 6, mode: 'number' }).notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.minute, table.model] })],
);
