import type { SessionEvent } from '@volundr/contracts/session-events';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { EventSink } from '@volundr/core/events/ports/event-sink';
import type { Logger } from '@volundr/core/shared/ports/logger';
import { type ChannelModel, type ConfirmChannel, connect } from 'amqplib';
import { z } from 'zod';

export const ZRabbitmqSinkOptions = z.strictObject({
  /** `amqp://user:password@host:5672/vhost` (or `amqps://`). */
  url: z.string().regex(/^amqps?:\/\/[^\s]+$/, 'expected an amqp:// or amqps:// URL'),
  /** A durable topic exchange, declared if missing. */
  exchange: z.string().min(1).max(255).default('volundr.events'),
  /** A batch not confirmed by the broker within this is failed (and retried). */
  confirmTimeoutMs: z.int().min(100).max(600_000).default(10_000),
  connectTimeoutMs: z.int().min(100).max(120_000).default(5_000),
  /** AMQP heartbeat: a silent dead connection is noticed after about twice this. */
  heartbeatSeconds: z.int().min(0).max(600).default(15),
  /** Reconnect backoff: from `initial` doubling up to `max`, reset by a successful connection. */
  reconnectInitialMs: z.int().min(10).max(60_000).default(200),
  reconnectMaxMs: z.int().min(10).max(600_000).default(10_000),
});
export type RabbitmqSinkOptions = z.infer<typeof ZRabbitmqSinkOptions>;

export interface RabbitmqSink extends EventSink {
  /** `connected`, `connecting`, or `down` (waiting to reconnect), for logs and tests. */
  connectionState(): 'connected' | 'connecting' | 'down';
}

/** The routing key of an event: `session.<type>`, e.g. `session.state_changed`. */
export const routingKeyOf = (event: Pick<SessionEvent, 'type'>) => `session.${event.type}`;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

function withHeartbeat(url: string, seconds: number): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(seconds));
  return parsed.toString();
}

/** The URL without its password, for logs and errors. */
function safeUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Publishes events to a RabbitMQ topic exchange: routing key `session.<type>`, persistent
 * messages whose `messageId` is the event id (consumers drop redeliveries by it), JSON bodies
 * (the event as `sessions.onState` streams it). `deliver` resolves only when the broker has
 * confirmed every message of the batch (publisher confirms), so the dispatcher moves its
 * cursor only past what RabbitMQ holds. A lost connection is re-opened on the next delivery,
 * no sooner than the reconnect backoff allows.
 */
export function createRabbitmqSink(options: RabbitmqSinkOptions, logger: Logger): RabbitmqSink {
  const url = withHeartbeat(options.url, options.heartbeatSeconds);
  const where = safeUrl(options.url);
  const log = logger.child({ component: 'rabbitmq-sink', url: where, exchange: options.exchange });
  let model: ChannelModel | null = null;
  let channel: ConfirmChannel | null = null;
  let connecting: Promise<ConfirmChannel> | null = null;
  let nextAttemptAt = 0;
  let delay = options.reconnectInitialMs;
  let lastError: string | null = null;
  let closed = false;

  const drop = (reason: string) => {
    if (!model && !channel) return;
    log.warn({ reason }, 'RabbitMQ connection lost; reconnecting on the next delivery');
    lastError = reason;
    const old = model;
    model = null;
    channel = null;
    old?.close().catch(() => {});
  };

  async function open(): Promise<ConfirmChannel> {
    const m = await connect(url, { timeout: options.connectTimeoutMs });
    try {
      m.on('error', (err: Error) => {
        if (model === m) drop(describe(err));
      });
      m.on('close', (err?: Error) => {
        if (model === m) drop(err ? describe(err) : 'connection closed');
      });
      m.on('blocked', (reason: string) => log.warn({ reason }, 'RabbitMQ blocked this connection (resource alarm)'));
      const ch = await m.createConfirmChannel();
      ch.on('error', (err: Error) => {
        if (channel === ch) drop(`channel error: ${describe(err)}`);
      });
      ch.on('close', () => {
        if (channel === ch) drop('channel closed');
      });
      await ch.assertExchange(options.exchange, 'topic', { durable: true });
      if (closed) throw new Error('the sink was closed');
      model = m;
      channel = ch;
      delay = options.reconnectInitialMs;
      if (lastError) log.info({ after: lastError }, 'RabbitMQ connection re-established');
      lastError = null;
      return ch;
    } catch (error) {
      await m.close().catch(() => {});
      throw error;
    }
  }

  async function ensureChannel(): Promise<ConfirmChannel> {
    if (channel) return channel;
    if (closed) throw new Error('the RabbitMQ sink is closed');
    if (connecting) return connecting;
    const wait = nextAttemptAt - Date.now();
    if (wait > 0) {
      throw new Error(
        `RabbitMQ at ${where} is unreachable (${lastError ?? 'unknown error'}); reconnecting in ${wait} ms`,
      );
    }
    connecting = timeout(open(), options.connectTimeoutMs + 1_000, 'connecting to RabbitMQ')
      .catch((error: unknown) => {
        lastError = describe(error);
        nextAttemptAt = Date.now() + delay;
        delay = Math.min(delay * 2, options.reconnectMaxMs);
        throw new Error(`RabbitMQ at ${where} is unreachable: ${lastError}`);
      })
      .finally(() => {
        connecting = null;
      });
    return connecting;
  }

  async function publishAll(ch: ConfirmChannel, events: readonly SessionEvent[]) {
    for (const event of events) {
      const body = Buffer.from(JSON.stringify(event));
      const accepted = ch.publish(options.exchange, routingKeyOf(event), body, {
        persistent: true,
        messageId: event.id,
        type: event.type,
        contentType: 'application/json',
        appId: 'volundr',
        timestamp: Math.floor(Date.parse(event.createdAt) / 1000),
        headers: { 'x-volundr-tenant-id': event.tenantId, 'x-volundr-session-id': event.sessionId },
      });
      // The socket's buffer is full: wait for it to drain rather than queue without bound.
      if (!accepted) await new Promise<void>((resolve) => ch.once('drain', resolve));
      if (channel !== ch) throw new Error(`RabbitMQ connection lost while publishing (${lastError ?? 'closed'})`);
    }
    await ch.waitForConfirms();
  }

  return {
    async deliver(events) {
      if (events.length === 0) return;
      const ch = await ensureChannel();
      try {
        await timeout(publishAll(ch, events), options.confirmTimeoutMs, `confirming ${events.length} messages`);
      } catch (error) {
        // Unconfirmed: the batch is retried on a fresh connection (a half-dead one may never confirm).
        drop(describe(error));
        throw error;
      }
    },
    connectionState: () => (channel ? 'connected' : connecting ? 'connecting' : 'down'),
    async close() {
      closed = true;
      const m = model;
      model = null;
      channel = null;
      await m?.close().catch(() => {});
    },
  };
}

/** `events.sinks: [{ use: "@volundr/adapter-events/rabbitmq-sink#rabbitmqSink", url, exchange }]`. */
export const rabbitmqSink = defineAdapter<RabbitmqSinkOptions, RabbitmqSink, { logger: Logger }>({
  port: 'eventSink',
  options: ZRabbitmqSinkOptions,
  requires: ['logger'],
  create: (options, deps) => createRabbitmqSink(options, deps.logger),
});
