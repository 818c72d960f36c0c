import type { SessionEvent } from '@volundr/contracts/session-events';
import { createOutboxDispatcher } from '@volundr/core/events/outbox-dispatcher';
import { silentLogger } from '@volundr/core/shared/ports/logger';
import { type Database, openDatabase } from '@volundr/db/client';
import { findMigrationsDir, migrate } from '@volundr/db/migrate';
import { createOutboxRepository } from '@volundr/db/repositories/outbox';
import { createSessionEventsRepository } from '@volundr/db/repositories/session-events';
import { createTestDatabase, type TestDatabase } from '@volundr/testkit/postgres';
import {
  amqpTarget,
  connectTestRabbitmq,
  startTcpProxy,
  type TestRabbitmq,
  testRabbitmqSettings,
} from '@volundr/testkit/rabbitmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRabbitmqSink, rabbitmqSink, ZRabbitmqSinkOptions } from './rabbitmq-sink';

/**
 * A 30 s outage under 200 events/s, as the acceptance asks (the suite runs other files in
 * parallel meanwhile). VOLUNDR_EVENTS_OUTAGE_MS and VOLUNDR_EVENTS_RATE change the shape.
 */
const load = z
  .object({
    VOLUNDR_EVENTS_OUTAGE_MS: z.coerce.number().int().min(500).max(300_000).default(30_000),
    VOLUNDR_EVENTS_RATE: z.coerce.number().int().min(10).max(5_000).default(200),
  })
  .parse(process.env);

const settings = testRabbitmqSettings();
if (settings.notice) console.warn(settings.notice);

const sample = (id: number, type: SessionEvent['type'] = 'session_deleted'): SessionEvent =>
  ({
    id: String(id),
    sessionId: 's-1',
    tenantId: 't-1',
    ownerId: 'u-1',
    createdAt: '2026-03-01T10:00:00.000Z',
    type,
    data: {},
  }) as SessionEvent;

describe.skipIf(settings.skip)('RabbitMQ sink against a real broker', () => {
  let rabbit: TestRabbitmq;
  let pg: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    rabbit = await connectTestRabbitmq(settings.url);
    pg = await createTestDatabase();
    database = await openDatabase({ driver: 'postgres', url: pg.url, max: 6 });
    await migrate(database, findMigrationsDir(import.meta.url));
  });
  afterAll(async () => {
    await database?.close();
    await pg?.drop();
    await rabbit?.close();
  });

  it('publishes confirmed, persistent messages to a durable topic exchange: key session.<type>, messageId = event id', async () => {
    const exchange = rabbit.exchangeName();
    const consumer = await rabbit.consume(exchange, 'session.state_changed');
    const all = await rabbit.consume(exchange);
    const sink = createRabbitmqSink(ZRabbitmqSinkOptions.parse({ url: settings.url, exchange }), silentLogger);
    try {
      await sink.deliver([sample(1, 'state_changed'), sample(2, 'session_deleted')]);
      await all.waitFor((m) => m.length === 2, 'both messages');
      expect(consumer.messages.map((m) => m.messageId)).toEqual(['1']);
      expect(all.messages[0]).toMatchObject({
        messageId: '1',
        routingKey: 'session.state_changed',
        persistent: true,
        contentType: 'application/json',
        body: sample(1, 'state_changed'),
      });
      // Declared durable: asserting it as non-durable is a precondition failure.
      const channel = await rabbit.connection.createChannel();
      channel.on('error', () => {});
      await expect(channel.assertExchange(exchange, 'topic', { durable: false })).rejects.toThrow(
        /PRECONDITION_FAILED/,
      );
    } finally {
      await sink.close();
    }
  });

  it('fails a delivery (never hangs) while the broker is unreachable, with backoff, then reconnects', async () => {
    const proxy = await startTcpProxy(amqpTarget(settings.url));
    const exchange = rabbit.exchangeName();
    const consumer = await rabbit.consume(exchange);
    const sink = createRabbitmqSink(
      ZRabbitmqSinkOptions.parse({
        url: proxy.through(settings.url),
        exchange,
        reconnectInitialMs: 300,
        confirmTimeoutMs: 2_000,
      }),
      silentLogger,
    );
    try {
      await sink.deliver([sample(1)]);
      proxy.cut();
      await expect(sink.deliver([sample(2)])).rejects.toThrow(/RabbitMQ|closed|connection/i);
      // Within the backoff no new connection is attempted.
      const attempts = proxy.forwarded;
      await expect(sink.deliver([sample(2)])).rejects.toThrow(/reconnecting in \d+ ms|unreachable/);
      expect(proxy.forwarded).toBe(attempts);
      proxy.restore();
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          await sink.deliver([sample(2)]);
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      await consumer.waitFor((m) => m.some((x) => x.messageId === '2'), 'the event after recovery');
      expect(sink.connectionState()).toBe('connected');
    } finally {
      await sink.close();
      await proxy.close();
    }
  });

  it(`loses nothing when its connection is cut for ${load.VOLUNDR_EVENTS_OUTAGE_MS} ms under ${load.VOLUNDR_EVENTS_RATE} events/s`, async () => {
    const proxy = await startTcpProxy(amqpTarget(settings.url));
    const exchange = rabbit.exchangeName();
    const consumer = await rabbit.consume(exchange);
    const events = createSessionEventsRepository(database);
    const outbox = createOutboxRepository(database);
    const sink = createRabbitmqSink(
      ZRabbitmqSinkOptions.parse({
        url: proxy.through(settings.url),
        exchange,
        confirmTimeoutMs: 2_000,
        reconnectInitialMs: 100,
        reconnectMaxMs: 1_000,
      }),
      silentLogger,
    );
    const dispatcher = createOutboxDispatcher({ outbox, logger: silentLogger }, [{ name: `bus-${exchange}`, sink }], {
      owner: 'replica-1',
      pollIntervalMs: 200,
      retryInitialMs: 100,
      retryMaxMs: 1_000,
    });
    await dispatcher.start();
    const appended: string[] = [];
    let sawFailing = false;
    let maxLag = 0;
    try {
      const before = 2_000;
      const after = 2_000;
      const total = before + load.VOLUNDR_EVENTS_OUTAGE_MS + after;
      const started = Date.now();
      let cut = false;
      let restored = false;
      // A steady load: each tick appends the events due by now.
      while (Date.now() - started < total) {
        const elapsed = Date.now() - started;
        if (!cut && elapsed >= before) {
          proxy.cut();
          cut = true;
        }
        if (cut && !restored && elapsed >= before + load.VOLUNDR_EVENTS_OUTAGE_MS) {
          const lag = await outbox.lag(`bus-${exchange}`, 1_000_000);
          maxLag = lag.events;
          sawFailing = dispatcher.status()[0]!.state === 'failing';
          proxy.restore();
          restored = true;
        }
        const due = Math.floor((elapsed * load.VOLUNDR_EVENTS_RATE) / 1000) - appended.length;
        for (let i = 0; i < due; i++) {
          appended.push(
            await events.append({
              type: 'pod_progress',
              data: { step: 'load', message: String(appended.length) },
              sessionId: 's-load',
              tenantId: 't-1',
              ownerId: 'u-1',
              createdAt: new Date(),
            }),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const expected = new Set(appended);
      await consumer.waitFor(
        (messages) => new Set(messages.map((m) => m.messageId).filter((id) => expected.has(id))).size === expected.size,
        `all ${expected.size} events after the outage`,
        60_000,
      );

      const byId = new Map<string, unknown>();
      const firstSeen: string[] = [];
      for (const message of consumer.messages) {
        expect(expected.has(message.messageId)).toBe(true);
        const seen = byId.get(message.messageId);
        if (seen === undefined) {
          byId.set(message.messageId, message.body);
          firstSeen.push(message.messageId);
        } else expect(message.body).toEqual(seen); // a duplicate is the same event
      }
      expect(byId.size).toBe(appended.length);
      expect(firstSeen.map(BigInt)).toEqual([...firstSeen.map(BigInt)].sort((a, b) => (a < b ? -1 : 1)));
      expect(appended.length).toBeGreaterThanOrEqual((total / 1000) * load.VOLUNDR_EVENTS_RATE * 0.9);
      expect(sawFailing).toBe(true);
      // The backlog of the outage was measured as lag, then drained.
      expect(maxLag).toBeGreaterThan(load.VOLUNDR_EVENTS_RATE * (load.VOLUNDR_EVENTS_OUTAGE_MS / 1000) * 0.5);
      await consumer.waitFor(() => dispatcher.status()[0]!.state === 'delivering', 'the sink to recover');
      // The cursor moves once the last batch is confirmed (just after the consumer has it).
      let lag = await outbox.lag(`bus-${exchange}`, 1000);
      for (const deadline = Date.now() + 10_000; lag.events > 0 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        lag = await outbox.lag(`bus-${exchange}`, 1000);
      }
      expect(lag).toEqual({ events: 0, capped: false, oldestAt: null });
    } finally {
      await dispatcher.stop();
      await sink.close();
      await events.close();
      await proxy.close();
    }
  }, 180_000);

  it('refuses bad options with the key named', () => {
    const bad = rabbitmqSink.options.safeParse({ url: 'http://rabbit', exchange: '', extra: 1 });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => (i.code === 'unrecognized_keys' ? i.keys[0] : i.path.join('.')));
    expect(paths).toEqual(expect.arrayContaining(['url', 'exchange', 'extra']));
  });
});
