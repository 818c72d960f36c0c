import type { SessionEvent } from '@volundr/contracts/session-events';
import type { NewSessionEvent, SessionEventFilter } from '@volundr/core/sessions/ports/session-events';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { afterEach, expect, it } from 'vitest';
import { type Database, openDatabase } from '../client';
import { createSessionEventsRepository, type SessionEventsRepository } from './session-events';

const at = new Date('2026-03-01T10:00:00.000Z');

const event = (sessionId: string, n: number, owner = 'u-alice', tenant = 't-1'): NewSessionEvent => ({
  type: 'pod_progress',
  data: { step: 'test', message: String(n) },
  sessionId,
  tenantId: tenant,
  ownerId: owner,
  createdAt: at,
});

/** Collects `count` events from a subscription, failing after `timeoutMs` with what arrived. */
async function take(
  iterable: AsyncIterable<SessionEvent>,
  count: number,
  timeoutMs = 15_000,
  onEach?: (e: SessionEvent) => Promise<void>,
): Promise<SessionEvent[]> {
  const got: SessionEvent[] = [];
  if (count === 0) return got;
  const iterator = iterable[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${got.length} of ${count} events`)), timeoutMs);
  });
  try {
    while (got.length < count) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) break;
      got.push(next.value);
      await onEach?.(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return got;
}

const messages = (events: SessionEvent[]) =>
  events.map((e) => (e.type === 'pod_progress' ? e.data.message : `${e.type}?`));

describeBothDatabases('session events repository', (getDb, getTarget) => {
  const opened: SessionEventsRepository[] = [];
  const extraPools: Database[] = [];
  const repo = (options?: Parameters<typeof createSessionEventsRepository>[1], db: Database = getDb()) => {
    const r = createSessionEventsRepository(db, options);
    opened.push(r);
    return r;
  };
  afterEach(async () => {
    for (const r of opened.splice(0)) await r.close();
    for (const p of extraPools.splice(0)) await p.close();
  });
  let sessionNo = 0;
  const newSession = () => `sess-${++sessionNo}`;

  it('appends with increasing decimal ids and replays the backlog after an id, filtered', async () => {
    const events = repo();
    const s = newSession();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await events.append(event(s, i)));
    await events.append(event(s, 99, 'u-bob'));
    await events.append(event(s, 98, 'u-alice', 't-2'));
    expect(ids.every((id) => /^\d+$/.test(id))).toBe(true);
    expect(ids.map(BigInt)).toEqual([...ids.map(BigInt)].sort((a, b) => (a < b ? -1 : 1)));

    const all = await take(events.subscribe({ tenantId: 't-1', sessionId: s }, undefined), 6);
    expect(messages(all)).toEqual(['0', '1', '2', '3', '4', '99']);
    expect(all[0]).toEqual({
      id: ids[0],
      sessionId: s,
      tenantId: 't-1',
      ownerId: 'u-alice',
      createdAt: at.toISOString(),
      type: 'pod_progress',
      data: { step: 'test', message: '0' },
    });
    const resumed = await take(events.subscribe({ tenantId: 't-1', sessionId: s, ownerId: 'u-alice' }, ids[2]), 2);
    expect(messages(resumed)).toEqual(['3', '4']);
  });

  it('follows live appends after the backlog, in order, without duplicates or gaps', async () => {
    const events = repo();
    const s = newSession();
    for (let i = 0; i < 3; i++) await events.append(event(s, i));
    const filter: SessionEventFilter = { tenantId: 't-1', sessionId: s };
    const received = take(events.subscribe(filter, undefined), 53);
    // Appends racing with the subscription's start: subscribing happens before the backlog read.
    const writers = (async () => {
      for (let i = 3; i < 53; i++) await events.append(event(s, i));
    })();
    const [got] = await Promise.all([received, writers]);
    expect(messages(got)).toEqual(Array.from({ length: 53 }, (_, i) => String(i)));
  });

  it('delivers events appended through another connection pool (another API process)', async () => {
    const target = getTarget();
    const writerDb =
      target.url === null ? getDb() : await openDatabase({ driver: 'postgres', url: target.url, max: 2 });
    if (target.url !== null) extraPools.push(writerDb);
    const reader = repo();
    const writer = repo(undefined, writerDb);
    const s = newSession();
    const ids = [await writer.append(event(s, 0))];
    const received = take(reader.subscribe({ tenantId: 't-1', sessionId: s }, ids[0]), 20);
    for (let i = 1; i <= 20; i++) ids.push(await writer.append(event(s, i)));
    expect((await received).map((e) => e.id)).toEqual(ids.slice(1));
  });

  it('concurrent appenders on several connections: every subscriber sees each event once, in id order', async () => {
    const target = getTarget();
    const pools =
      target.url === null
        ? [getDb(), getDb(), getDb()]
        : await Promise.all([0, 1, 2].map(() => openDatabase({ driver: 'postgres', url: target.url!, max: 3 })));
    if (target.url !== null) extraPools.push(...pools);
    const reader = repo({ windowSize: 64, batchSize: 25 });
    const s = newSession();
    const total = 3 * 4 * 40;
    const subscription = take(reader.subscribe({ tenantId: 't-1', sessionId: s }, undefined), total, 30_000);
    await Promise.all(
      pools.flatMap((pool, p) =>
        [0, 1, 2, 3].map(async (w) => {
          const writer = createSessionEventsRepository(pool);
          for (let i = 0; i < 40; i++) await writer.append(event(s, p * 1000 + w * 100 + i));
        }),
      ),
    );
    const got = await subscription;
    expect(new Set(got.map((e) => e.id)).size).toBe(total);
    const seqs = got.map((e) => BigInt(e.id));
    expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('a slow subscriber never holds up a fast one and still gets every event from the table', async () => {
    const events = repo({ windowSize: 16, batchSize: 10 });
    const s = newSession();
    const filter = { tenantId: 't-1', sessionId: s };
    const slow = events.subscribe(filter, undefined)[Symbol.asyncIterator]();
    // The slow one takes its first event, then stops reading while 200 more are appended.
    const firstWrite = events.append(event(s, 0));
    expect(messages([(await slow.next()).value as SessionEvent])).toEqual(['0']);
    await firstWrite;
    const fast = take(events.subscribe(filter, undefined), 201);
    for (let i = 1; i <= 200; i++) await events.append(event(s, i));
    expect(messages(await fast)).toEqual(Array.from({ length: 201 }, (_, i) => String(i)));
    // Far behind the 16-event window now: it catches up from the table, losing nothing.
    const rest: SessionEvent[] = [];
    while (rest.length < 200) rest.push((await slow.next()).value as SessionEvent);
    expect(messages(rest)).toEqual(Array.from({ length: 200 }, (_, i) => String(i + 1)));
    await slow.return?.(undefined);
  });

  it('ends a subscription when its signal aborts or the repository closes', async () => {
    const events = repo();
    const s = newSession();
    const controller = new AbortController();
    const iterator = events
      .subscribe({ tenantId: 't-1', sessionId: s }, undefined, controller.signal)
      [Symbol.asyncIterator]();
    const pending = iterator.next();
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });

    const other = events.subscribe({ tenantId: 't-1', sessionId: s }, undefined)[Symbol.asyncIterator]();
    const waiting = other.next();
    await events.close();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  it('refuses a malformed resume id and clamps an id beyond the 64-bit range', async () => {
    const events = repo();
    await expect(events.subscribe({ tenantId: 't-1' }, 'abc')[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const controller = new AbortController();
    const far = events.subscribe({ tenantId: 't-1' }, '9999999999999999999', controller.signal)[Symbol.asyncIterator]();
    const next = far.next();
    await events.append(event(newSession(), 1));
    controller.abort();
    expect(await next).toEqual({ done: true, value: undefined });
  });
});
