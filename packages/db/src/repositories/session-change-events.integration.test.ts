import type { SessionEvent, SessionEventBody } from '@volundr/contracts/session-events';
import { isDomainError } from '@volundr/core/errors';
import type { Sessions } from '@volundr/core/sessions/ports/sessions';
import type { SessionRecord } from '@volundr/core/sessions/session-record';
import { aSession } from '@volundr/core/testing/session-builder';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../client';
import { createSessionEventsRepository, type SessionEventsRepository } from './session-events';
import { createSessionsRepository } from './sessions';

// A session write and the events describing it commit in one transaction: both or neither.
// The failures are real ones inside the database, between the row change and the event insert:
// a trigger on session_events that raises, and (PostgreSQL) the backend killed while the event
// insert is under way.

const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const updated = (field: string): SessionEventBody => ({ type: 'session_updated', data: { fields: [field] } });

interface StoredEvent {
  id: string;
  session_id: string;
  tenant_id: string;
  owner_id: string;
  type: string;
  data: Record<string, unknown>;
  created_at: string;
  [key: string]: unknown;
}

async function eventsOf(db: Database, sessionId: string): Promise<StoredEvent[]> {
  return db.execute<StoredEvent>(
    `SELECT id::text AS id, session_id, tenant_id, owner_id, type, data,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
     FROM session_events WHERE session_id = $1 ORDER BY session_events.id`,
    [sessionId],
  );
}

/** The domain error's code, or `error: ` and the messages of the error and its causes. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error.code;
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error && messages.length < 5; e = e.cause) messages.push(e.message);
    return `error: ${messages.join(' / ') || String(error)}`;
  }
  return 'resolved';
}

/** Resolves once `condition` holds, checking every few milliseconds until the deadline. */
async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describeBothDatabases('session writes and their events', (getDb, getTarget) => {
  let n = 0;
  const fresh = (fields: Partial<SessionRecord> = {}) => {
    n += 1;
    return aSession()
      .withId(`cs-${n}`)
      .with({ createdAt: at(n), updatedAt: at(n), ...fields })
      .build();
  };

  beforeAll(async () => {
    const db = getDb();
    await db.execute(`INSERT INTO tenants (id, path, name) VALUES ('t-1', '/t-1/', 't-1')`);
    await db.execute(`INSERT INTO users (id, status) VALUES ('u-alice', 'active')`);
    // A switchable failure inside the transaction, after the session row is written: the event
    // insert raises while `refuse_events` has a row, and stalls while `stall_events` has one.
    await db.executeScript(`
      CREATE TABLE refuse_events (on_type text NOT NULL);
      CREATE TABLE stall_events (on_type text NOT NULL);
      CREATE FUNCTION test_event_faults() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM refuse_events WHERE on_type = NEW.type) THEN
          RAISE EXCEPTION 'event insert refused by the test';
        END IF;
        IF EXISTS (SELECT 1 FROM stall_events WHERE on_type = NEW.type) THEN
          PERFORM pg_sleep(60);
        END IF;
        NEW.data := NEW.data || jsonb_build_object('synchronousCommit', current_setting('synchronous_commit'));
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_event_faults BEFORE INSERT ON session_events FOR EACH ROW EXECUTE FUNCTION test_event_faults();
    `);
  });
  afterAll(async () => {
    await getDb().executeScript(
      'DROP TRIGGER test_event_faults ON session_events; DROP FUNCTION test_event_faults(); DROP TABLE refuse_events, stall_events;',
    );
  });
  afterEach(async () => {
    await getDb().execute('DELETE FROM refuse_events');
    await getDb().execute('DELETE FROM stall_events');
  });

  describe.each([
    ['given the database', () => createSessionsRepository(getDb())],
    ['given only drizzle', () => createSessionsRepository(getDb().drizzle)],
  ] as [string, () => Sessions][])('repository %s', (_form, repo) => {
    it('writes each change with its events, in order, dated by the change, durably, notified at commit', async () => {
      const db = getDb();
      const feed: SessionEventsRepository = createSessionEventsRepository(db);
      const controller = new AbortController();
      try {
        const s = fresh();
        const seen: SessionEvent[] = [];
        const live = (async () => {
          for await (const e of feed.subscribe({ tenantId: 't-1', sessionId: s.id }, '0', controller.signal)) {
            seen.push(e);
            if (e.type === 'session_deleted') return;
          }
        })();
        await repo().insert(s, [{ type: 'session_created', data: { name: s.name, state: 'created' } }]);
        const v2 = await repo().update(s.id, 1, { name: 'renamed', updatedAt: at(1_000) }, [updated('name')]);
        expect(v2).toMatchObject({ name: 'renamed', version: 2 });
        await repo().update(s.id, 2, { state: 'starting', stateReason: null, updatedAt: at(2_000) }, [
          { type: 'contributor_applied', data: { contributor: 'Core', index: 0, total: 1 } },
          { type: 'state_changed', data: { from: 'created', to: 'starting', reason: null } },
        ]);
        await repo().recordActivity(s.id, { state: 'active', metadata: {}, at: at(3_000) }, [
          { type: 'activity_changed', data: { state: 'active', metadata: {} } },
        ]);
        await repo().delete(s.id, 3, { at: at(4_000), events: [{ type: 'session_deleted', data: {} }] });

        const stored = await eventsOf(db, s.id);
        expect(stored.map((e) => [e.type, e.created_at, e.tenant_id, e.owner_id])).toEqual([
          ['session_created', s.createdAt.toISOString(), 't-1', s.ownerId],
          ['session_updated', at(1_000).toISOString(), 't-1', s.ownerId],
          ['contributor_applied', at(2_000).toISOString(), 't-1', s.ownerId],
          ['state_changed', at(2_000).toISOString(), 't-1', s.ownerId],
          ['activity_changed', at(3_000).toISOString(), 't-1', s.ownerId],
          ['session_deleted', at(4_000).toISOString(), 't-1', s.ownerId],
        ]);
        expect(stored[3]!.data).toMatchObject({ from: 'created', to: 'starting', reason: null });
        // Committed like any other write, never with synchronous_commit off.
        expect(new Set(stored.map((e) => e.data.synchronousCommit))).toEqual(new Set(['on']));
        const ids = stored.map((e) => BigInt(e.id));
        expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));

        // The live feed learns of each write by its NOTIFY (the fallback poll is 2 s away).
        await Promise.race([
          live,
          new Promise((_, reject) => setTimeout(() => reject(new Error(`feed saw ${seen.length} of 6`)), 1_500)),
        ]);
        expect(seen.map((e) => e.id)).toEqual(stored.map((e) => e.id));
      } finally {
        controller.abort();
        await feed.close();
      }
    });

    it('a stale or missing row writes no event', async () => {
      const db = getDb();
      const s = fresh();
      await repo().insert(s);
      expect(await codeOf(repo().update(s.id, 7, { name: 'x', updatedAt: at(1) }, [updated('name')]))).toBe(
        'CONCURRENT_MODIFICATION',
      );
      expect(await codeOf(repo().update('nope', 1, { name: 'x', updatedAt: at(1) }, [updated('name')]))).toBe(
        'SESSION_NOT_FOUND',
      );
      expect(await codeOf(repo().delete(s.id, 7, { at: at(1), events: [{ type: 'session_deleted', data: {} }] }))).toBe(
        'CONCURRENT_MODIFICATION',
      );
      expect(
        await codeOf(
          repo().recordActivity('nope', { state: 'idle', metadata: {}, at: at(1) }, [
            { type: 'activity_changed', data: { state: 'idle', metadata: {} } },
          ]),
        ),
      ).toBe('SESSION_NOT_FOUND');
      expect(await eventsOf(db, s.id)).toEqual([]);
      expect(await eventsOf(db, 'nope')).toEqual([]);
    });

    it('a failing event insert undoes the change: insert, update, activity and delete', async () => {
      const db = getDb();
      const s = fresh();
      await db.execute(`INSERT INTO refuse_events VALUES ('session_created')`);
      const created = { type: 'session_created', data: { name: s.name, state: 'created' } } as const;
      expect(await codeOf(repo().insert(s, [created]))).toContain('event insert refused by the test');
      expect(await repo().byId(s.id)).toBeNull();
      await db.execute('DELETE FROM refuse_events');
      await repo().insert(s, [created]);

      await db.execute(`INSERT INTO refuse_events VALUES ('state_changed')`);
      // The first of the two events is inserted, the second fails: neither stays, nor the change.
      const move = repo().update(s.id, 1, { state: 'starting', stateReason: null, updatedAt: at(1) }, [
        updated('name'),
        { type: 'state_changed', data: { from: 'created', to: 'starting', reason: null } },
      ]);
      expect(await codeOf(move)).toContain('event insert refused by the test');
      expect(await repo().byId(s.id)).toMatchObject({ state: 'created', version: 1 });

      await db.execute(`INSERT INTO refuse_events VALUES ('activity_changed'), ('session_deleted')`);
      const activity = repo().recordActivity(s.id, { state: 'active', metadata: { x: 1 }, at: at(2) }, [
        { type: 'activity_changed', data: { state: 'active', metadata: { x: 1 } } },
      ]);
      expect(await codeOf(activity)).toContain('event insert refused by the test');
      expect(await repo().byId(s.id)).toMatchObject({ activityState: 'idle', lastActivityAt: null });
      const remove = repo().delete(s.id, 1, { at: at(3), events: [{ type: 'session_deleted', data: {} }] });
      expect(await codeOf(remove)).toContain('event insert refused by the test');
      expect(await repo().byId(s.id)).not.toBeNull();

      expect((await eventsOf(db, s.id)).map((e) => e.type)).toEqual(['session_created']);
    });
  });

  it('the backend killed between the row change and its event: neither is kept (PostgreSQL)', async (context) => {
    const target = getTarget();
    if (target.url === null) return context.skip(); // PGlite: one in-process connection, nothing to kill
    const db = getDb();
    const victim = await openDatabase({ driver: 'postgres', url: target.url, max: 1 });
    try {
      const s = fresh();
      await createSessionsRepository(db).insert(s);
      await db.execute(`INSERT INTO stall_events VALUES ('state_changed')`);
      const write = createSessionsRepository(victim).update(
        s.id,
        1,
        { state: 'starting', stateReason: null, updatedAt: at(1) },
        [
          { type: 'contributor_applied', data: { contributor: 'Core', index: 0, total: 1 } },
          { type: 'state_changed', data: { from: 'created', to: 'starting', reason: null } },
        ],
      );
      const outcome = codeOf(write);
      // The row is written (and locked) and the first event inserted; the second is stalled.
      const stalled = async () =>
        (
          await db.execute<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'`,
          )
        ).length === 1;
      await waitFor(stalled, 'the event insert to stall');
      expect(await createSessionsRepository(db).byId(s.id)).toMatchObject({ state: 'created', version: 1 });
      await db.execute(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'`,
      );
      expect(await outcome).toMatch(/^error: .*(terminat|CONNECTION_CLOSED)/);
      // A working connection again (the dead one may answer once more with its FATAL), so the
      // pool closes at once instead of timing out on it.
      await victim.ping().catch(() => victim.ping());
      expect(await createSessionsRepository(db).byId(s.id)).toMatchObject({ state: 'created', version: 1 });
      expect(await eventsOf(db, s.id)).toEqual([]);
    } finally {
      await victim.close();
    }
  });

  it('writers of changes and appenders on several connections: ids commit in order, the feed misses none', async () => {
    const target = getTarget();
    const pools =
      target.url === null
        ? [getDb(), getDb(), getDb()]
        : await Promise.all([0, 1, 2].map(() => openDatabase({ driver: 'postgres', url: target.url!, max: 3 })));
    const db = getDb();
    const feed = createSessionEventsRepository(db, { windowSize: 64, batchSize: 25 });
    const controller = new AbortController();
    try {
      const rows = Array.from({ length: 6 }, () => fresh());
      for (const s of rows) await createSessionsRepository(db).insert(s);
      const perSession = 20;
      const total = rows.length * perSession * 2;
      const seen: SessionEvent[] = [];
      const live = (async () => {
        for await (const e of feed.subscribe({ tenantId: 't-1' }, undefined, controller.signal)) {
          if (rows.some((s) => s.id === e.sessionId)) seen.push(e);
          if (seen.length === total) return;
        }
      })();
      await Promise.all(
        rows.map(async (s, i) => {
          const pool = pools[i % pools.length]!;
          const sessionsRepo = createSessionsRepository(pool);
          const appender = createSessionEventsRepository(pool);
          for (let v = 1; v <= perSession; v++) {
            await Promise.all([
              sessionsRepo.update(s.id, v, { name: `${s.name}-${v}`, updatedAt: at(v) }, [updated(`v${v}`)]),
              appender.append({
                type: 'pod_progress',
                data: { step: 'test', message: String(v) },
                sessionId: s.id,
                tenantId: s.tenantId,
                ownerId: s.ownerId,
                createdAt: at(v),
              }),
            ]);
          }
        }),
      );
      await Promise.race([
        live,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`feed saw ${seen.length} of ${total}`)), 30_000)),
      ]);
      expect(new Set(seen.map((e) => e.id)).size).toBe(total);
      const ids = seen.map((e) => BigInt(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
      for (const s of rows) expect((await createSessionsRepository(db).byId(s.id))?.version).toBe(perSession + 1);
    } finally {
      controller.abort();
      await feed.close();
      if (target.url !== null) for (const pool of pools) await pool.close();
    }
  });
});
