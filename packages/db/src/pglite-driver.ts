import { mkdir } from 'node:fs/promises';
import { PGlite, type PGliteInterface, type Transaction, types } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { assertChannelName } from './channel-name';
import type { Database, Drizzle, Queryable, Row, SqlParam } from './client';
import { KeyedMutex } from './keyed-mutex';
import { transactionClient } from './transaction-client';

type PgliteClient = Pick<PGliteInterface | Transaction, 'query' | 'exec'>;

const asText = (value: string) => value;
/**
 * Raw rows decode like postgres.js's do (see `Queryable.execute`): PGlite would otherwise turn
 * int8 into a lossy number and timestamps into Dates while postgres.js returns strings.
 */
const rawParsers = {
  [types.INT8]: asText,
  [types.TIMESTAMP]: asText,
  [types.TIMESTAMPTZ]: asText,
  [types.DATE]: asText,
  [types.INTERVAL]: asText,
};

function queryable(client: PgliteClient, db: Drizzle): Queryable {
  const execute = async <T extends Row>(sqlText: string, params: readonly SqlParam[] = []) => {
    const result = await client.query<T>(sqlText, [...params], { parsers: rawParsers });
    return result.rows;
  };
  return {
    drizzle: db,
    execute,
    async executeScript(sqlText) {
      await client.exec(sqlText);
    },
    async notify(channel, payload) {
      await execute('SELECT pg_notify($1, $2)', [assertChannelName(channel), payload]);
    },
  };
}

/** PGlite in `dataDir` (created if missing), or in memory when `dataDir` is null. */
export async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir !== null) await mkdir(dataDir, { recursive: true });
  const pg = dataDir === null ? new PGlite() : new PGlite(dataDir);
  await pg.waitReady;
  return pgliteDatabase(pg);
}

/** A `Database` over a PGlite instance that is ready (tests use it on clones of a template). */
export async function pgliteDatabase(pg: PGliteInterface): Promise<Database> {
  await pg.exec(`SET TIME ZONE 'UTC'`);
  const db = drizzle({ client: pg as PGlite }) as unknown as Drizzle;
  const locks = new KeyedMutex();
  let closed: Promise<void> | null = null;

  return {
    driver: 'pglite',
    ...queryable(pg, db),
    transaction(fn) {
      return db.transaction((tx) =>
        fn(
          queryable(
            transactionClient<Transaction>(tx, (c) => 'exec' in c),
            tx as unknown as Drizzle,
          ),
        ),
      );
    },
    withLock(key, fn) {
      return locks.run(key, fn);
    },
    async listen(channel, onPayload) {
      const unlisten = await pg.listen(assertChannelName(channel), onPayload);
      return async () => {
        if (!pg.closed) await unlisten();
      };
    },
    async ping() {
      await pg.query('SELECT 1');
    },
    close() {
      closed ??= pg.closed ? Promise.resolve() : pg.close();
      return closed;
    },
  };
}
