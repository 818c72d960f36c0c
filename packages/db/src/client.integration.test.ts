import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client';

/** Collects payloads; `received(p)` resolves once `p` has arrived, or rejects after `ms`. */
function collector(ms = 5_000) {
  const payloads: string[] = [];
  const waiters: Array<() => void> = [];
  const onPayload = (payload: string) => {
    payloads.push(payload);
    for (const wake of waiters.splice(0)) wake();
  };
  const received = (payload: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`"${payload}" not received within ${ms} ms`)), ms);
      const check = () => {
        if (payloads.includes(payload)) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return { onPayload, received, payloads };
}

describeBothDatabases('Database (both drivers)', (getDb) => {
  it('decodes raw rows the same way on both drivers', async () => {
    const [row] = await getDb().execute(
      `SELECT 1::int AS i, 9007199254740993::int8 AS big, 1.5::numeric(14,6) AS n, true AS b,
              '{"x":[1,"y"]}'::jsonb AS j, ARRAY['a','b']::text[] AS tags,
              '2024-05-06T07:08:09.123Z'::timestamptz AS at, $1::text AS p, $2::int AS q`,
      ['param', 42],
    );
    expect(row).toEqual({
      i: 1,
      big: '9007199254740993',
      n: '1.500000',
      b: true,
      j: { x: [1, 'y'] },
      tags: ['a', 'b'],
      at: '2024-05-06 07:08:09.123+00',
      p: 'param',
      q: 42,
    });
  });

  it('runs one statement per execute and several per executeScript', async () => {
    await expect(getDb().execute('SELECT 1; SELECT 2')).rejects.toThrow();
    await getDb().executeScript('CREATE TABLE script_probe (x int); INSERT INTO script_probe VALUES (1), (2);');
    const rows = await getDb().execute<{ n: number }>('SELECT count(*)::int AS n FROM script_probe');
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('commits a transaction, and rolls it back when the function throws', async () => {
    const db = getDb();
    await db.executeScript('CREATE TABLE tx_probe (x int PRIMARY KEY)');
    await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO tx_probe VALUES ($1)', [1]);
      await tx.drizzle.execute(sql`INSERT INTO tx_probe VALUES (${2})`);
      expect(await tx.execute('SELECT x FROM tx_probe ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.executeScript('INSERT INTO tx_probe VALUES (3); INSERT INTO tx_probe VALUES (4);');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.execute('SELECT x FROM tx_probe ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it('rolls back a nested drizzle transaction (savepoint) without losing the outer one', async () => {
    const db = getDb();
    await db.executeScript('CREATE TABLE nested_probe (x int)');
    await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO nested_probe VALUES (1)');
      await expect(
        tx.drizzle.transaction(async (inner) => {
          await inner.execute(sql`INSERT INTO nested_probe VALUES (2)`);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    expect(await db.execute('SELECT x FROM nested_probe')).toEqual([{ x: 1 }]);
  });

  it('delivers NOTIFY to listeners, a transaction’s only if it commits, and nothing after unlisten', async () => {
    const db = getDb();
    const first = collector();
    const second = collector();
    const stopFirst = await db.listen('volundr_test_channel', first.onPayload);
    const stopSecond = await db.listen('volundr_test_channel', second.onPayload);
    await db.notify('volundr_test_channel', 'hello');
    await db.transaction(async (tx) => tx.notify('volundr_test_channel', 'committed'));
    await expect(
      db.transaction(async (tx) => {
        await tx.notify('volundr_test_channel', 'rolled-back');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    // Notifications arrive in order, so once "barrier" is in, anything before it is too.
    await db.notify('volundr_test_channel', 'barrier');
    await first.received('barrier');
    expect(first.payloads).toEqual(['hello', 'committed', 'barrier']);

    await stopFirst();
    await db.notify('volundr_test_channel', 'after-unlisten');
    await second.received('after-unlisten');
    expect(first.payloads).toEqual(['hello', 'committed', 'barrier']);
    await stopSecond();
  });

  it('refuses channel names that would mean different things on the two drivers', async () => {
    await expect(getDb().listen('Mixed_Case', () => {})).rejects.toThrow(/invalid channel name "Mixed_Case"/);
    await expect(getDb().notify('x; drop table users', '')).rejects.toThrow(/invalid channel name/);
  });

  it('withLock runs holders of one key one at a time, and different keys concurrently', async () => {
    const db = getDb();
    await db.executeScript('CREATE TABLE lock_probe (n int); INSERT INTO lock_probe VALUES (0);');
    let inFlight = 0;
    let maxInFlight = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        db.withLock('probe', async () => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          // A read-modify-write across round trips: only exclusion keeps it correct.
          const [row] = await db.execute<{ n: number }>('SELECT n FROM lock_probe');
          await db.execute('UPDATE lock_probe SET n = $1', [row!.n + 1]);
          inFlight -= 1;
        }),
      ),
    );
    expect(maxInFlight).toBe(1);
    expect(await db.execute('SELECT n FROM lock_probe')).toEqual([{ n: 8 }]);

    // Each holder waits for the other: this completes only if both keys are held at once.
    let releaseA!: () => void;
    const aReleased = new Promise<void>((r) => {
      releaseA = r;
    });
    await Promise.all([db.withLock('key-a', () => aReleased), db.withLock('key-b', async () => releaseA())]);
  });
});

describe('Database on PGlite with a data directory', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates the directory and keeps the data across a close and reopen', async () => {
    dir = await mkdtemp(join(tmpdir(), 'volundr-pglite-'));
    const dataDir = join(dir, 'nested', 'data');
    const first = await openDatabase({ driver: 'pglite', dataDir });
    await first.executeScript(`CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here');`);
    await first.close();
    await first.close();
    await expect(first.ping()).rejects.toThrow();

    const second = await openDatabase({ driver: 'pglite', dataDir });
    expect(await second.execute('SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    await second.close();
  });
});

describe('Database on PostgreSQL', () => {
  it('fails at open with the server and the reason when PostgreSQL cannot be reached', async () => {
    await expect(
      openDatabase({ driver: 'postgres', url: 'postgres://postgres:secret@127.0.0.1:1/volundr' }),
    ).rejects.toThrow(
      /cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/volundr: .*ECONNREFUSED/,
    );
  });
});
