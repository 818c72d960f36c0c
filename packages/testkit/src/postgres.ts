import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { z } from 'zod';

/**
 * A PostgreSQL database of its own for one test file: `volundr_t_<random>` on the test server
 * (127.0.0.1:5432 as `postgres`, or VOLUNDR_TEST_POSTGRES_URL), dropped by `drop()`. The shared
 * `test` database is never used. An unreachable server is an error, never a silent skip; only a
 * developer's machine may opt out (VOLUNDR_SKIP_POSTGRES=1, ignored when CI=true).
 */

export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  /** Drops the database (closing its other connections first). Idempotent. */
  drop(): Promise<void>;
}

const ZTestEnv = z.object({
  VOLUNDR_TEST_POSTGRES_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'VOLUNDR_TEST_POSTGRES_URL must be a postgres:// URL')
    .optional(),
  VOLUNDR_SKIP_POSTGRES: z.string().optional(),
  CI: z.string().optional(),
});

export interface TestPostgresSettings {
  /** The server (its maintenance database) where test databases are created. */
  serverUrl: string;
  /** Skip the PostgreSQL variants of the suites (a local opt-out). */
  skip: boolean;
  /** A notice to print once, when the skip setting was used or ignored. */
  notice: string | null;
}

/** Reads the test environment (validated): where PostgreSQL is, and whether it may be skipped. */
export function testPostgresSettings(env: Record<string, string | undefined> = process.env): TestPostgresSettings {
  const parsed = ZTestEnv.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join('; '));
  const { VOLUNDR_TEST_POSTGRES_URL, VOLUNDR_SKIP_POSTGRES, CI } = parsed.data;
  const serverUrl = VOLUNDR_TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL;
  const wantsSkip = VOLUNDR_SKIP_POSTGRES === '1' || VOLUNDR_SKIP_POSTGRES === 'true';
  if (!wantsSkip) return { serverUrl, skip: false, notice: null };
  if (CI === 'true') {
    return {
      serverUrl,
      skip: false,
      notice: 'VOLUNDR_SKIP_POSTGRES is ignored under CI=true: the PostgreSQL suites always run in CI',
    };
  }
  return {
    serverUrl,
    skip: true,
    notice: 'VOLUNDR_SKIP_POSTGRES=1: skipping the PostgreSQL variant of the database suites (PGlite still runs)',
  };
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function displayUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

async function withServer<T>(serverUrl: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const url = new URL(serverUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/postgres';
  const sql = postgres(url.toString(), { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** Creates a fresh, empty database (see the module comment). */
export async function createTestDatabase(serverUrl: string = testPostgresSettings().serverUrl): Promise<TestDatabase> {
  const name = `volundr_t_${randomBytes(6).toString('hex')}`;
  try {
    await withServer(serverUrl, (sql) => sql.unsafe(`CREATE DATABASE ${name}`));
  } catch (error) {
    const reason = (error as Error).message || String(error);
    throw new Error(
      `PostgreSQL is not reachable at ${displayUrl(serverUrl)}: ${reason}. Start it (pg_ctlcluster 15 main start) ` +
        'or point VOLUNDR_TEST_POSTGRES_URL at a server; on a developer machine VOLUNDR_SKIP_POSTGRES=1 skips the ' +
        'PostgreSQL suites (never under CI).',
      { cause: error },
    );
  }
  let dropped = false;
  return {
    url: withDatabase(serverUrl, name),
    async drop() {
      if (dropped) return;
      await withServer(serverUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      dropped = true;
    },
  };
}
