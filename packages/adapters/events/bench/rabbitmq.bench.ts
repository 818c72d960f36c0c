/**
 * Events from commit to a RabbitMQ consumer, through the outbox (PostgreSQL `session_events` →
 * dispatcher → RabbitMQ sink with publisher confirms → exchange → a consumer's queue).
 *
 *   npx tsx packages/adapters/events/bench/rabbitmq.bench.ts [events] [seconds at 1,000/s]
 *
 * 1. Throughput: `events` events (default 20,000) are committed while the sink is not yet
 *    dispatching, then the dispatcher starts; the figure is events / time until the consumer
 *    has them all. Baseline in the same run: the same count published straight with amqplib
 *    (confirm channel, confirms awaited per batch of the same size), publish → consume.
 * 2. Latency: events committed one by one at 1,000/s for `seconds` (default 10) while the
 *    dispatcher runs; per event, consumer arrival − the start of its append (the commit's round
 *    trip included). Baseline: raw amqplib publishes at 1,000/s, consumer arrival − publish.
 * Needs PostgreSQL (127.0.0.1:5432) and RabbitMQ (127.0.0.1:5672), like the tests.
 */
import { loadavg } from 'node:os';
import type { SessionEvent } from '@volundr/contracts/session-events';
import { createOutboxDispatcher } from '@volundr/core/events/outbox-dispatcher';
import { silentLogger } from '@volundr/core/shared/ports/logger';
import { openDatabase } from '@volundr/db/client';
import { findMigrationsDir, migrate } from '@volundr/db/migrate';
import { appendEventsInTransaction, createOutboxRepository } from '@volundr/db/repositories/outbox';
import { createSessionEventsRepository } from '@volundr/db/repositories/session-events';
import { percentile, reportFigure } from '@volundr/testkit/bench';
import { createTestDatabase } from '@volundr/testkit/postgres';
import { connectTestRabbitmq, type TestConsumer } from '@volundr/testkit/rabbitmq';
import { z } from 'zod';
import { createRabbitmqSink, ZRabbitmqSinkOptions } from '../src/rabbitmq-sink';

const args = z
  .tuple([z.coerce.number().int().min(1_000).max(1_000_000), z.coerce.number().int().min(2).max(600)])
  .safeParse([process.argv[2] ?? 20_000, process.argv[3] ?? 10]);
if (!args.success) {
  console.error('usage: rabbitmq.bench.ts [events ≥ 1000] [seconds 2–600]');
  process.exit(2);
}
const [count, seconds] = args.data;
const BATCH = 500;

const pg = await createTestDatabase();
const database = await openDatabase({ driver: 'postgres', url: pg.url, max: 8 });
const rabbit = await connectTestRabbitmq();
const events = createSessionEventsRepository(database);
const outbox = createOutboxRepository(database);
const stoppers: Array<() => Promise<void>> = [];

const body = (n: number) => ({
  sessionId: 's-bench',
  tenantId: 't-1',
  ownerId: 'u-1',
  type: 'pod_progress' as const,
  data: { step: 'bench', message: String(n) },
});

/** Resolves when the consumer has `n` messages; returns when (performance.now()). */
const until = (consumer: TestConsumer, n: number, what: string) =>
  consumer.waitFor((m) => m.length >= n, what, 120_000).then(() => consumer.messages[n - 1]!.receivedAt);

async function pipeline(exchange: string) {
  const sink = createRabbitmqSink(ZRabbitmqSinkOptions.parse({ url: rabbit.url, exchange }), silentLogger);
  const dispatcher = createOutboxDispatcher({ outbox, logger: silentLogger }, [{ name: exchange, sink }], {
    owner: 'bench',
    batchSize: BATCH,
  });
  stoppers.push(async () => {
    await dispatcher.stop();
    await sink.close();
  });
  return dispatcher;
}

try {
  await migrate(database, findMigrationsDir(import.meta.url));

  // ── 1. throughput ───────────────────────────────────────────────────────────────────────────
  const rawExchange = rabbit.exchangeName();
  const rawConsumer = await rabbit.consume(rawExchange);
  const channel = await rabbit.connection.createConfirmChannel();
  await channel.assertExchange(rawExchange, 'topic', { durable: true });
  const message = (n: number) =>
    Buffer.from(JSON.stringify({ id: String(n), ...body(n), createdAt: new Date().toISOString() } as SessionEvent));
  const rawStart = performance.now();
  for (let i = 0; i < count; i += BATCH) {
    for (let j = i; j < Math.min(count, i + BATCH); j++) {
      if (!channel.publish(rawExchange, 'session.pod_progress', message(j), { persistent: true, messageId: String(j) }))
        await new Promise<void>((resolve) => channel.once('drain', resolve));
    }
    await channel.waitForConfirms();
  }
  const rawEnd = await until(rawConsumer, count, 'raw messages');
  const rawRate = count / ((rawEnd - rawStart) / 1000);

  const exchange = rabbit.exchangeName();
  const consumer = await rabbit.consume(exchange);
  const dispatcher = await pipeline(exchange);
  // Take the lease (the cursor starts at the end of the log), then let go: the events below wait for it.
  await outbox.lease(exchange, 'bench', 60_000, 'latest');
  await outbox.release(exchange, 'bench');
  for (let i = 0; i < count; i += 1_000) {
    const chunk = Array.from({ length: Math.min(1_000, count - i) }, (_, k) => ({
      ...body(i + k),
      createdAt: new Date(),
    }));
    await database.transaction((tx) => appendEventsInTransaction(tx, chunk));
  }
  const start = performance.now();
  await dispatcher.start();
  const end = await until(consumer, count, 'outbox messages');
  const rate = count / ((end - start) / 1000);
  await dispatcher.stop();
  reportFigure({
    name: 'events: commit → RabbitMQ consumer throughput',
    value: rate,
    unit: 'events/s',
    baseline: { label: 'amqplib publish → consume, confirms per 500', value: rawRate },
    target: '≥ 5,000',
    met: rate >= 5_000,
    note: `${count} events committed, then dispatched in batches of ${BATCH} with publisher confirms`,
  });

  // ── 2. latency at 1,000/s ───────────────────────────────────────────────────────────────────
  const paced = seconds * 1_000;
  const rawLatExchange = rabbit.exchangeName();
  const rawLatConsumer = await rabbit.consume(rawLatExchange);
  await channel.assertExchange(rawLatExchange, 'topic', { durable: true });
  const rawSent = new Map<string, number>();
  const rawLatencies: number[] = [];
  rawLatConsumer.onMessage((m) => rawLatencies.push(m.receivedAt - rawSent.get(m.messageId)!));
  const tick = async (n: number, send: (i: number) => Promise<void> | void) => {
    const began = performance.now();
    for (let i = 0; i < n; i++) {
      const due = began + i; // one per millisecond
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      await send(i);
    }
  };
  await tick(paced, (i) => {
    rawSent.set(String(i), performance.now());
    channel.publish(rawLatExchange, 'session.pod_progress', message(i), { persistent: true, messageId: String(i) });
  });
  await channel.waitForConfirms();
  await until(rawLatConsumer, paced, 'raw paced messages');

  const latExchange = rabbit.exchangeName();
  const latConsumer = await rabbit.consume(latExchange);
  const latDispatcher = await pipeline(latExchange);
  await latDispatcher.start();
  // Measured from the start of the append (so the commit itself is included: a conservative figure).
  const appendedAt = new Map<string, number>();
  // Wait for the lease before timing (the first lease creates the cursor at the log's end).
  for (let i = 0; i < 200 && latDispatcher.status()[0]!.state !== 'delivering'; i++)
    await new Promise((r) => setTimeout(r, 10));
  let behind = 0;
  await tick(paced, async (i) => {
    const started = performance.now();
    const id = await events.append({ ...body(i), createdAt: new Date() });
    appendedAt.set(id, started);
    if (performance.now() - started > 1) behind++;
  });
  await until(latConsumer, paced, 'paced outbox messages');
  const latencies = latConsumer.messages.map((m) => m.receivedAt - appendedAt.get(m.messageId)!);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  reportFigure({
    name: 'events: p99 commit → RabbitMQ consumer latency at 1,000/s',
    value: p99,
    unit: 'ms',
    baseline: { label: 'amqplib publish → consume at 1,000/s', value: percentile(rawLatencies, 99) },
    target: '≤ 50 ms',
    met: p99 <= 50,
    note: `p50 ${p50.toFixed(2)} ms (baseline p50 ${percentile(rawLatencies, 50).toFixed(2)} ms); ${paced} events; appends slower than 1 ms: ${behind}; load average ${loadavg()[0]!.toFixed(1)}`,
  });
} finally {
  for (const stop of stoppers.reverse()) await stop().catch(() => {});
  await events.close();
  await rabbit.close();
  await database.close();
  await pg.drop();
}
