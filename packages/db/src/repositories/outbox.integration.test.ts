import type { NewSessionEvent } from '@volundr/core/sessions/ports/session-events';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { afterEach, expect, it } from 'vitest';
import { type Database, openDatabase } from '../client';
import { appendEventsInTransaction, createOutboxRepository } from './outbox';
import { createSessionEventsRepository, type SessionEventsRepository } from './session-events';

const at = new Date('2026-03-01T10:00:00.000Z');
const event = (n: number, sessionId = 's-1'): NewSessionEvent => ({
  type: 'pod_progress',
  data: { step: 'test', message: String(n) },
  sessionId,
  tenantId: 't-1',
  ownerId: 'u-alice',
  createdAt: at,
});
const messageOf = (e: { event: { data: unknown } }) => (e.event.data as { message: string }).message;
const START = { txId: '0', eventId: '0' };

describeBothDatabases('outbox repository', (getDb, getTarget) => {
  const closers: Array<() => Promise<void>> = [];
  const eventsRepo = () => {
    const r: SessionEventsRepository = createSessionEventsRepository(getDb());
    closers.push(() => r.close());
    return r;
  };
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await getDb().execute('DELETE FROM outbox_cursors');
  });

  it('creates a cursor at the latest event or at the beginning, and leases it to one owner at a time', async () => {
    const events = eventsRepo();
    const outbox = createOutboxRepository(getDb());
    await events.append(event(1));
    const lastId = await events.append(event(2));

    const latest = await outbox.lease('bus', 'replica-a', 60_000, 'latest');
    expect(latest?.eventId).toBe(lastId);
    expect(await outbox.lease('bus', 'replica-b', 60_000, 'latest')).toBeNull();
    expect(await outbox.lease('bus', 'replica-a', 60_000, 'latest')).toEqual(latest); // renewal

    const earliest = await outbox.lease('archive', 'replica-b', 60_000, 'earliest');
    expect(earliest).toEqual(START);
    expect((await outbox.read(earliest!, 10)).events.map(messageOf)).toEqual(['1', '2']);

    await outbox.release('bus', 'replica-a');
    expect(await outbox.lease('bus', 'replica-b', 60_000, 'latest')).toEqual(latest);
    // An expired lease is taken over.
    await getDb().execute(`UPDATE outbox_cursors SET lease_expires_at = now() - interval '1 s' WHERE sink = 'bus'`);
    expect(await outbox.lease('bus', 'replica-c', 60_000, 'latest')).toEqual(latest);
  });

  it('reads in order after the cursor and moves it only forward, only for the lease owner', async () => {
    const events = eventsRepo();
    const outbox = createOutboxRepository(getDb());
    const start = (await outbox.lease('bus', 'a', 60_000, 'latest'))!;
    for (let i = 0; i < 5; i++) await events.append(event(i));
    const first = (await outbox.read(start, 3)).events;
    expect(first.map(messageOf)).toEqual(['0', '1', '2']);
    expect(first[0]!.event).toMatchObject({ sessionId: 's-1', type: 'pod_progress', createdAt: at.toISOString() });

    expect(await outbox.advance('bus', 'someone-else', first[2]!.position, 60_000)).toBe(false);
    expect(await outbox.advance('bus', 'a', first[2]!.position, 60_000)).toBe(true);
    // Backwards is a renewal that keeps the cursor.
    expect(await outbox.advance('bus', 'a', first[0]!.position, 60_000)).toBe(true);
    const [cursor] = await outbox.cursors();
    expect(cursor).toMatchObject({ sink: 'bus', position: first[2]!.position, leaseOwner: 'a', failures: 0 });
    expect(cursor!.deliveredAt).toBeInstanceOf(Date);
    expect((await outbox.read(cursor!.position, 10)).events.map(messageOf)).toEqual(['3', '4']);
  });

  it('measures the lag (capped) and records failures until a delivery clears them', async () => {
    const events = eventsRepo();
    const outbox = createOutboxRepository(getDb());
    const start = (await outbox.lease('bus', 'a', 60_000, 'latest'))!;
    expect(await outbox.lag('bus', 100)).toEqual({ events: 0, capped: false, oldestAt: null });
    for (let i = 0; i < 4; i++) await events.append(event(i));
    expect(await outbox.lag('bus', 100)).toEqual({ events: 4, capped: false, oldestAt: at });
    expect(await outbox.lag('bus', 3)).toMatchObject({ events: 3, capped: true });

    await outbox.recordFailure('bus', 'a', 'connection refused');
    await outbox.recordFailure('bus', 'a', 'connection refused again');
    expect((await outbox.cursors())[0]).toMatchObject({ failures: 2, lastError: 'connection refused again' });
    const batch = (await outbox.read(start, 10)).events;
    await outbox.advance('bus', 'a', batch.at(-1)!.position, 60_000);
    expect((await outbox.cursors())[0]).toMatchObject({ failures: 0, lastError: null, lastErrorAt: null });
    expect(await outbox.lag('bus', 100)).toEqual({ events: 0, capped: false, oldestAt: null });
  });

  it('appends events inside a transaction: they commit with it, or not at all', async () => {
    const db = getDb();
    const outbox = createOutboxRepository(db);
    const start = (await outbox.lease('bus', 'a', 60_000, 'latest'))!;
    await expect(
      db.transaction(async (tx) => {
        await appendEventsInTransaction(tx, [{ ...event(1), data: { step: 'x', message: 'rolled back' } }]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await db.transaction((tx) =>
      appendEventsInTransaction(tx, [
        { ...event(0), data: { step: 'x', message: 'a' } },
        { ...event(0), data: { step: 'x', message: 'b' } },
      ]),
    );
    expect((await outbox.read(start, 10)).events.map(messageOf)).toEqual(['a', 'b']);
  });

  it('never passes an event whose transaction commits late (the tx_id rule)', async () => {
    if (getTarget().driver !== 'postgres') return; // PGlite runs one transaction at a time: no late commits
    const events = eventsRepo();
    const outbox = createOutboxRepository(getDb());
    const start = (await outbox.lease('bus', 'a', 60_000, 'latest'))!;
    const other: Database = await openDatabase({ driver: 'postgres', url: getTarget().url!, max: 2 });
    closers.push(() => other.close());

    // A writer that takes its id first and commits last, without the append lock (the rule must
    // not depend on it).
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let inserted!: () => void;
    const hasInserted = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const late = other.transaction(async (tx) => {
      await tx.execute(
        `INSERT INTO session_events (session_id, tenant_id, owner_id, type, data, created_at)
         VALUES ('s-1', 't-1', 'u-alice', 'pod_progress', '{"step":"x","message":"late"}', now())`,
      );
      inserted();
      await committed;
    });
    await hasInserted;
    await events.append(event(1)); // a larger id, committed first

    // Held back (an older transaction is open), and said so.
    expect(await outbox.read(start, 10)).toEqual({ events: [], heldBack: true });
    commit();
    await late;
    // Any transaction elsewhere on the server holds the horizon back too: wait for it (bounded).
    const deadline = Date.now() + 10_000;
    let read = await outbox.read(start, 10);
    while (read.events.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      read = await outbox.read(start, 10);
    }
    expect(read.events.map(messageOf)).toEqual(['late', '1']);
    expect(read.heldBack).toBe(false);
  });
});
