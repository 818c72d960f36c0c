import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { z } from 'zod';

/**
 * The database as the rest of the code sees it, the same for both drivers: PGlite (embedded,
 * local mode) and PostgreSQL through postgres.js (production). Repositories are written once
 * against `Drizzle`; raw SQL and LISTEN/NOTIFY go through the methods here.
 */
export type DatabaseDriver = 'pglite' | 'postgres';

/** The drizzle query builder, typed without the driver so repositories work on both. */
export type Drizzle = PgDatabase<PgQueryResultHKT>;

/**
 * A raw query parameter. JSON is passed as a string and cast in the SQL (`$1::jsonb`) so both
 * drivers send the same thing.
 */
export type SqlParam = string | number | boolean | Date | null;

export type Row = Record<string, unknown>;

/** What can run queries: the database itself, or one transaction of it. */
export interface Queryable {
  readonly drizzle: Drizzle;
  /**
   * One statement, `$1…$n` placeholders. Rows come back as the driver decodes them, made the
   * same on both drivers: json/jsonb parsed, int4 as number, bool as boolean; timestamptz, date,
   * int8 and numeric as PostgreSQL prints them (strings; the session time zone is UTC).
   */
  execute<T extends Row = Row>(sqlText: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Several statements, no parameters (migration files). */
  executeScript(sqlText: string): Promise<void>;
  /** `pg_notify`: inside a transaction it is delivered when the transaction commits. */
  notify(channel: string, payload: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly driver: DatabaseDriver;
  /**
   * Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). Use
   * only the `tx` it gets inside: on PGlite, the single connection waits for the transaction,
   * so a query on the database itself from inside `fn` would wait forever.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding an exclusive lock named `key`, across processes on PostgreSQL (a
   * session-level advisory lock on a connection of its own; do not nest withLock calls) and
   * within the process on PGlite
   * (one process owns a PGlite database; its advisory locks are re-entrant on its single
   * connection, so they would not exclude anything).
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** LISTEN on `channel`; resolves once listening. The returned function stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Closes every connection. Idempotent. */
  close(): Promise<void>;
}

export const ZDatabaseOptions = z.discriminatedUnion('driver', [
  z.strictObject({
    driver: z.literal('pglite'),
    /** Directory holding the database (created if missing); `null` keeps it in memory. */
    dataDir: z.string().min(1, 'dataDir must name a directory (or be null for in-memory)').nullable(),
  }),
  z.strictObject({
    driver: z.literal('postgres'),
    url: z.string().regex(/^postgres(ql)?:\/\//, 'url must be a postgres:// or postgresql:// connection URL'),
    /** Pool size (default 10). `withLock` uses a few connections of its own besides. */
    max: z.int().min(1).max(200).optional(),
  }),
]);
export type DatabaseOptions = z.input<typeof ZDatabaseOptions>;

/** Opens (and for PGlite, creates) the database. Does not migrate: see migrate.ts. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const parsed = ZDatabaseOptions.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid database options: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const opts = parsed.data;
  if (opts.driver === 'pglite') {
    const { openPglite } = await import('./pglite-driver');
    return openPglite(opts.dataDir);
  }
  const { openPostgres } = await import('./postgres-driver');
  return openPostgres(opts.url, opts.max ?? 10);
}
