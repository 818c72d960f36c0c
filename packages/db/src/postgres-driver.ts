import { drizzle } from 'drizzle-orm/postgres-js';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import { assertChannelName } from './channel-name';
import type { Database, Drizzle, Queryable, Row, SqlParam } from './client';
import { KeyedMutex } from './keyed-mutex';
import { transactionClient } from './transaction-client';

type PostgresClient = Sql | TransactionSql;

function queryable(client: PostgresClient, db: Drizzle): Queryable {
  const execute = async <T extends Row>(sqlText: string, params: readonly SqlParam[] = []) => {
    // `simple: false` keeps one statement per call even without parameters, as on PGlite.
    const options = { simple: false } as postgres.UnsafeQueryOptions;
    const rows = await client.unsafe(sqlText, params as postgres.ParameterOrJSON<never>[], options);
    return [...rows] as unknown as T[];
  };
  return {
    drizzle: db,
    execute,
    async executeScript(sqlText) {
      await client.unsafe(sqlText);
    },
    async notify(channel, payload) {
      await execute('SELECT pg_notify($1, $2)', [assertChannelName(channel), payload]);
    },
  };
}

const LOCK_CONNECTIONS = 4;

/** A postgres.js pool of `max` connections to `url`. */
export async function openPostgres(url: string, max: number): Promise<Database> {
  const options = {
    connect_timeout: 10,
    // Idempotent migrations print "already exists, skipping" notices on every run.
    onnotice: () => {},
    connection: { application_name: 'volundr', TimeZone: 'UTC' },
  } satisfies postgres.Options<Record<string, never>>;
  const sql = postgres(url, { ...options, max });
  // drizzle sets transparent parsers for dates/timestamps on this client (it maps them itself),
  // which is also what raw `execute` returns on PGlite.
  const db = drizzle({ client: sql }) as unknown as Drizzle;
  // Advisory locks are held on connections of their own, so a holder's work (on the main pool)
  // never waits for connections taken by lockers queued behind it. Lockers of one key in this
  // process queue in memory first and take no connection while they wait.
  const localLocks = new KeyedMutex();
  let lockPool: Sql | null = null;
  let closed: Promise<void> | null = null;

  const database: Database = {
    driver: 'postgres',
    ...queryable(sql, db),
    transaction(fn) {
      return db.transaction((tx) =>
        fn(
          queryable(
            transactionClient<TransactionSql>(tx, (c) => 'unsafe' in c),
            tx as unknown as Drizzle,
          ),
        ),
      );
    },
    withLock(key, fn) {
      return localLocks.run(key, async () => {
        lockPool ??= postgres(url, { ...options, max: LOCK_CONNECTIONS });
        const connection = await lockPool.reserve();
        try {
          await connection`SELECT pg_advisory_lock(hashtextextended(${key}, 0))`;
          let result: Awaited<ReturnType<typeof fn>>;
          try {
            result = await fn();
          } catch (error) {
            await connection`SELECT pg_advisory_unlock(hashtextextended(${key}, 0))`.catch(() => {});
            throw error;
          }
          await connection`SELECT pg_advisory_unlock(hashtextextended(${key}, 0))`;
          return result;
        } finally {
          connection.release();
        }
      });
    },
    async listen(channel, onPayload) {
      const subscription = await sql.listen(assertChannelName(channel), onPayload);
      return () => subscription.unlisten();
    },
    async ping() {
      await sql`SELECT 1`;
    },
    close() {
      closed ??= Promise.all([sql.end({ timeout: 5 }), lockPool?.end({ timeout: 5 })]).then(() => {});
      return closed;
    },
  };
  // Fail at open, with the server's reason, rather than on the first query.
  try {
    await database.ping();
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`, { cause: error });
  }
  return database;
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
