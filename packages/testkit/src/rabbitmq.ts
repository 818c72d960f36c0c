import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { type ChannelModel, connect } from 'amqplib';
import { z } from 'zod';

/**
 * RabbitMQ for tests: the broker on 127.0.0.1:5672 (guest/guest) that runs on our machines and
 * in CI, or VOLUNDR_TEST_RABBITMQ_URL. An unreachable broker is an error naming what to do,
 * never a silent skip; only a developer's machine may opt out (VOLUNDR_SKIP_RABBITMQ=1, ignored
 * when CI=true). Each test uses exchanges and queues of its own (random names, auto-deleted).
 */

export const DEFAULT_TEST_RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

const ZTestEnv = z.object({
  VOLUNDR_TEST_RABBITMQ_URL: z
    .string()
    .regex(/^amqps?:\/\//, 'VOLUNDR_TEST_RABBITMQ_URL must be an amqp:// URL')
    .optional(),
  VOLUNDR_SKIP_RABBITMQ: z.string().optional(),
  CI: z.string().optional(),
});

export interface TestRabbitmqSettings {
  url: string;
  /** Skip the RabbitMQ suites (a local opt-out, never under CI). */
  skip: boolean;
  notice: string | null;
}

export function testRabbitmqSettings(env: Record<string, string | undefined> = process.env): TestRabbitmqSettings {
  const parsed = ZTestEnv.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join('; '));
  const { VOLUNDR_TEST_RABBITMQ_URL, VOLUNDR_SKIP_RABBITMQ, CI } = parsed.data;
  const url = VOLUNDR_TEST_RABBITMQ_URL ?? DEFAULT_TEST_RABBITMQ_URL;
  const wantsSkip = VOLUNDR_SKIP_RABBITMQ === '1' || VOLUNDR_SKIP_RABBITMQ === 'true';
  if (!wantsSkip) return { url, skip: false, notice: null };
  if (CI === 'true') {
    return {
      url,
      skip: false,
      notice: 'VOLUNDR_SKIP_RABBITMQ is ignored under CI=true: the RabbitMQ suites always run in CI',
    };
  }
  return { url, skip: true, notice: 'VOLUNDR_SKIP_RABBITMQ=1: skipping the RabbitMQ suites' };
}

function displayUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

export interface ReceivedMessage {
  messageId: string;
  routingKey: string;
  persistent: boolean;
  contentType: string | undefined;
  body: unknown;
  /** `performance.now()` when the consumer got it. */
  receivedAt: number;
}

export interface TestConsumer {
  readonly messages: ReceivedMessage[];
  /** Resolves once `check(messages)` holds; rejects after `timeoutMs` saying what arrived. */
  waitFor(check: (messages: readonly ReceivedMessage[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Called for each message as it arrives (benchmarks time them). */
  onMessage(listener: (message: ReceivedMessage) => void): void;
  close(): Promise<void>;
}

export interface TestRabbitmq {
  url: string;
  connection: ChannelModel;
  /** A fresh exchange name, unique to this test (`volundr.events.t_<random>`). */
  exchangeName(): string;
  /** An exclusive, auto-deleted queue bound to `exchange` (a durable topic exchange, declared) with `pattern`. */
  consume(exchange: string, pattern?: string): Promise<TestConsumer>;
  /** Deletes the exchanges handed out and closes the connection. */
  close(): Promise<void>;
}

/** Connects to the test broker, or fails saying how to start one. */
export async function connectTestRabbitmq(url: string = testRabbitmqSettings().url): Promise<TestRabbitmq> {
  let connection: ChannelModel;
  try {
    connection = await connect(url, { timeout: 5_000 });
  } catch (error) {
    const reason = (error as Error).message || String(error);
    throw new Error(
      `RabbitMQ is not reachable at ${displayUrl(url)}: ${reason}. Start it (service rabbitmq-server start) or point ` +
        'VOLUNDR_TEST_RABBITMQ_URL at a broker; on a developer machine VOLUNDR_SKIP_RABBITMQ=1 skips the RabbitMQ ' +
        'suites (never under CI).',
      { cause: error },
    );
  }
  connection.on('error', () => {});
  const exchanges: string[] = [];
  const consumers: TestConsumer[] = [];
  return {
    url,
    connection,
    exchangeName() {
      const name = `volundr.events.t_${randomBytes(5).toString('hex')}`;
      exchanges.push(name);
      return name;
    },
    async consume(exchange, pattern = 'session.#') {
      const channel = await connection.createChannel();
      await channel.assertExchange(exchange, 'topic', { durable: true });
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
      await channel.bindQueue(queue, exchange, pattern);
      const messages: ReceivedMessage[] = [];
      const listeners: Array<(m: ReceivedMessage) => void> = [];
      let changed: (() => void) | null = null;
      await channel.consume(
        queue,
        (msg) => {
          if (!msg) return;
          const received: ReceivedMessage = {
            messageId: String(msg.properties.messageId),
            routingKey: msg.fields.routingKey,
            persistent: msg.properties.deliveryMode === 2,
            contentType: msg.properties.contentType as string | undefined,
            body: JSON.parse(msg.content.toString('utf8')),
            receivedAt: performance.now(),
          };
          messages.push(received);
          for (const l of listeners) l(received);
          changed?.();
        },
        { noAck: true },
      );
      const consumer: TestConsumer = {
        messages,
        onMessage: (listener) => listeners.push(listener),
        async waitFor(check, what, timeoutMs = 30_000) {
          const deadline = Date.now() + timeoutMs;
          while (!check(messages)) {
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`timed out waiting for ${what} (${messages.length} messages arrived)`);
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, Math.min(left, 250));
              changed = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
        },
        close: () => channel.close().catch(() => {}),
      };
      consumers.push(consumer);
      return consumer;
    },
    async close() {
      for (const c of consumers.splice(0)) await c.close();
      const channel = await connection.createChannel().catch(() => null);
      for (const name of exchanges.splice(0)) await channel?.deleteExchange(name).catch(() => {});
      await connection.close().catch(() => {});
    },
  };
}

export interface TcpProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string;
  /** Kills every connection and refuses new ones (they are accepted and closed at once). */
  cut(): void;
  /** Forwards new connections again. */
  restore(): void;
  /** Connections accepted and forwarded so far. */
  readonly forwarded: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a service that a test can cut and restore, to play a network outage
 * (the service itself keeps running, so other tests sharing it are not disturbed).
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let isCut = false;
  let forwarded = 0;
  const server: Server = createServer((client) => {
    if (isCut) {
      client.destroy();
      return;
    }
    forwarded += 1;
    const upstream = tcpConnect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    through(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    cut() {
      isCut = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore() {
      isCut = false;
    },
    get forwarded() {
      return forwarded;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Host and port of an amqp URL (what a proxy forwards to). */
export function amqpTarget(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5672) };
}
