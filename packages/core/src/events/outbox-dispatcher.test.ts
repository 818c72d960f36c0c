import type { SessionEvent } from '@volundr/contracts/session-events';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/ports/logger';
import { createOutboxDispatcher, type OutboxDispatcher } from './outbox-dispatcher';
import type { EventSink } from './ports/event-sink';
import type { Outbox, OutboxEvent, OutboxPosition, SinkCursor } from './ports/outbox';

/** An in-memory Outbox: a log, cursors and leases (a test double of the port). */
function memoryOutbox() {
  const log: OutboxEvent[] = [];
  const cursors = new Map<
    string,
    { position: OutboxPosition; owner: string | null; until: number; failures: number }
  >();
  const listeners = new Set<() => void>();
  const after = (a: OutboxPosition, b: OutboxPosition) => BigInt(a.eventId) > BigInt(b.eventId);
  const outbox: Outbox = {
    async lease(sink, owner, leaseMs, startFrom) {
      let c = cursors.get(sink);
      if (!c) {
        const last = startFrom === 'latest' ? log.at(-1)?.position : undefined;
        c = { position: last ?? { txId: '0', eventId: '0' }, owner: null, until: 0, failures: 0 };
        cursors.set(sink, c);
      }
      if (c.owner && c.owner !== owner && c.until > Date.now()) return null;
      c.owner = owner;
      c.until = Date.now() + leaseMs;
      return c.position;
    },
    async read(position, limit) {
      return { events: log.filter((e) => after(e.position, position)).slice(0, limit), heldBack: false };
    },
    async advance(sink, owner, to, leaseMs) {
      const c = cursors.get(sink);
      if (!c || c.owner !== owner) return false;
      if (after(to, c.position)) {
        c.position = to;
        c.failures = 0;
      }
      c.until = Date.now() + leaseMs;
      return true;
    },
    async recordFailure(sink, owner) {
      const c = cursors.get(sink);
      if (c?.owner === owner) c.failures += 1;
    },
    async release(sink, owner) {
      const c = cursors.get(sink);
      if (c?.owner === owner) c.owner = null;
    },
    async cursors(): Promise<SinkCursor[]> {
      return [...cursors].map(([sink, c]) => ({
        sink,
        position: c.position,
        leaseOwner: c.owner,
        leaseExpiresAt: new Date(c.until),
        deliveredAt: null,
        failures: c.failures,
        lastError: null,
        lastErrorAt: null,
      }));
    },
    async lag(sink) {
      const c = cursors.get(sink)!;
      const behind = log.filter((e) => after(e.position, c.position));
      return { events: behind.length, capped: false, oldestAt: behind[0] ? new Date(behind[0].event.createdAt) : null };
    },
    async onAppended(listener) {
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
      };
    },
  };
  return {
    outbox,
    append(n: number) {
      for (let i = 0; i < n; i++) {
        const id = String(log.length + 1);
        log.push({
          position: { txId: id, eventId: id },
          event: {
            id,
            sessionId: 's-1',
            tenantId: 't-1',
            ownerId: 'u-1',
            createdAt: new Date().toISOString(),
            type: 'session_deleted',
            data: {},
          } satisfies SessionEvent,
        });
      }
      for (const l of listeners) l();
    },
    cursor: (sink: string) => cursors.get(sink),
  };
}

/** A sink that records what it got and fails while `down` is true. */
function recordingSink() {
  const received: string[] = [];
  const state = { down: false, attempts: 0 };
  const sink: EventSink = {
    async deliver(events) {
      state.attempts += 1;
      if (state.down) throw new Error('broker unreachable');
      received.push(...events.map((e) => e.id));
    },
    async close() {},
  };
  return { sink, received, state };
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const fast = { pollIntervalMs: 20, leaseMs: 300, retryInitialMs: 10, retryMaxMs: 40, batchSize: 7 };

describe('outbox dispatcher', () => {
  const started: OutboxDispatcher[] = [];
  afterEach(async () => {
    for (const d of started.splice(0)) await d.stop();
  });
  const start = async (d: OutboxDispatcher) => {
    started.push(d);
    await d.start();
    return d;
  };

  it('delivers every event in order, each sink at its own pace; a failing sink delays only itself and loses nothing', async () => {
    const mem = memoryOutbox();
    mem.append(3); // before the sinks exist: `latest` starts after them, `earliest` includes them
    const bus = recordingSink();
    const archive = recordingSink();
    const delivered: string[] = [];
    const dispatcher = await start(
      createOutboxDispatcher(
        {
          outbox: mem.outbox,
          logger: silentLogger,
          hooks: { onDelivered: (name, events) => delivered.push(`${name}:${events.length}`) },
        },
        [
          { name: 'bus', sink: bus.sink },
          { name: 'archive', sink: archive.sink, startFrom: 'earliest' },
        ],
        { owner: 'r1', ...fast },
      ),
    );
    await until(() => archive.received.length === 3, 'the archive backlog');
    mem.append(10);
    await until(() => bus.received.length === 10 && archive.received.length === 13, 'both sinks');
    expect(bus.received).toEqual(ids(4, 13));
    expect(archive.received).toEqual(ids(1, 13));
    expect(delivered).toContain('bus:7'); // batches of batchSize

    bus.state.down = true;
    mem.append(20);
    await until(() => archive.received.length === 33, 'the healthy sink despite the failing one');
    await until(() => bus.state.attempts >= 5, 'retries of the failing sink');
    expect(dispatcher.status().find((s) => s.name === 'bus')).toMatchObject({
      state: 'failing',
      lastError: 'broker unreachable',
    });
    expect(mem.cursor('bus')!.position.eventId).toBe('13');
    expect(mem.cursor('bus')!.failures).toBeGreaterThan(0);

    bus.state.down = false;
    await until(() => bus.received.length === 30, 'the failing sink after recovery');
    expect(bus.received).toEqual(ids(4, 33));
    expect(dispatcher.status().find((s) => s.name === 'bus')).toMatchObject({ state: 'delivering', failures: 0 });
  });

  it('lets one replica dispatch a sink at a time; the other takes over when it stops, without losing events', async () => {
    const mem = memoryOutbox();
    const sink = recordingSink();
    const a = await start(
      createOutboxDispatcher({ outbox: mem.outbox, logger: silentLogger }, [{ name: 'bus', sink: sink.sink }], {
        owner: 'a',
        ...fast,
      }),
    );
    await until(() => mem.cursor('bus')?.owner === 'a', 'replica a to take the lease');
    const b = await start(
      createOutboxDispatcher({ outbox: mem.outbox, logger: silentLogger }, [{ name: 'bus', sink: sink.sink }], {
        owner: 'b',
        ...fast,
      }),
    );
    mem.append(5);
    await until(() => sink.received.length === 5, 'delivery by a');
    await until(() => b.status()[0]!.state === 'standby', 'b in standby');
    expect(a.status()[0]!.delivered).toBe(5);

    await a.stop(); // gives the lease up
    mem.append(5);
    await until(() => sink.received.length === 10, 'delivery by b');
    expect(sink.received).toEqual(ids(1, 10)); // nothing twice, nothing missing
    expect(b.status()[0]).toMatchObject({ state: 'delivering', delivered: 5 });
  });

  it('stops moving the cursor when its lease was taken over (the new owner redelivers, same ids)', async () => {
    const mem = memoryOutbox();
    const sink = recordingSink();
    const a = await start(
      createOutboxDispatcher({ outbox: mem.outbox, logger: silentLogger }, [{ name: 'bus', sink: sink.sink }], {
        owner: 'a',
        ...fast,
      }),
    );
    await until(() => mem.cursor('bus')?.owner === 'a', 'the lease');
    mem.cursor('bus')!.owner = 'intruder';
    mem.cursor('bus')!.until = Date.now() + 60_000;
    mem.append(3);
    await until(() => a.status()[0]!.state === 'standby', 'a to notice the lost lease');
    expect(mem.cursor('bus')!.position.eventId).toBe('0');
  });

  it('refuses two sinks with one name', () => {
    const mem = memoryOutbox();
    const sink = recordingSink().sink;
    expect(() =>
      createOutboxDispatcher(
        { outbox: mem.outbox, logger: silentLogger },
        [
          { name: 'bus', sink },
          { name: 'bus', sink },
        ],
        { owner: 'a' },
      ),
    ).toThrow(/two event sinks are named "bus"/);
  });
});
