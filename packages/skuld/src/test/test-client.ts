/** A raw protocol client for tests: collects every event and waits for one with a deadline. */
import { type ChatEvent, ZChatEvent } from '@volundr/contracts/chat';
import { WebSocket } from 'ws';

export interface TestClient {
  readonly ws: WebSocket;
  /** Every event received, in order. */
  readonly events: ChatEvent[];
  /** Events that are logged (not ephemeral). */
  durable(): ChatEvent[];
  send(frame: unknown): void;
  sendRaw(data: string | Buffer): void;
  /** Index of the first event after the connection's replay and `ready`. */
  readonly liveFrom: number;
  /**
   * The first event matching `predicate` at index ≥ `from` (default: `liveFrom`, so a replayed
   * event never satisfies a wait for something new), waiting up to `timeoutMs`.
   */
  waitFor(
    predicate: (event: ChatEvent) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<ChatEvent>;
  /** Waits until `count` events match. */
  waitForCount(predicate: (event: ChatEvent) => boolean, count: number, timeoutMs?: number): Promise<ChatEvent[]>;
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export async function connectClient(
  url: string,
  options: { token?: string; tokenIn?: 'header' | 'query'; after?: number; waitReady?: boolean } = {},
): Promise<TestClient> {
  const target = new URL(url);
  if (options.after !== undefined) target.searchParams.set('after', String(options.after));
  if (options.token && options.tokenIn === 'query') target.searchParams.set('access_token', options.token);
  const headers: Record<string, string> =
    options.token && options.tokenIn !== 'query' ? { authorization: `Bearer ${options.token}` } : {};
  const ws = new WebSocket(target, { headers });
  const events: ChatEvent[] = [];
  const listeners = new Set<() => void>();
  ws.on('message', (data) => {
    const event = ZChatEvent.parse(JSON.parse(data.toString())) as ChatEvent;
    events.push(event);
    for (const listener of listeners) listener();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const listener of listeners) listener();
    });
  });
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  const waitUntil = <T>(check: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const run = () => {
        const value = check();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        } else if (ws.readyState === ws.CLOSED) {
          cleanup();
          reject(new Error(`connection closed while waiting for ${what}; got ${describe(events)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; got ${describe(events)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(run);
      };
      listeners.add(run);
      run();
    });

  const client: TestClient = {
    ws,
    events,
    durable: () => events.filter((event) => !event.ephemeral),
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data) => ws.send(data),
    liveFrom: 0,
    waitFor: (predicate, { from = client.liveFrom, timeoutMs = 10_000 } = {}) => {
      let checked = from;
      return waitUntil(
        () => {
          for (; checked < events.length; checked++) {
            const event = events[checked] as ChatEvent;
            if (predicate(event)) return event;
          }
          return undefined;
        },
        timeoutMs,
        'an event',
      );
    },
    waitForCount: (predicate, count, timeoutMs = 10_000) => {
      // Incremental: a fuzz run waits for thousands of events.
      const found: ChatEvent[] = [];
      let checked = 0;
      return waitUntil(
        () => {
          for (; checked < events.length; checked++) {
            const event = events[checked] as ChatEvent;
            if (predicate(event)) found.push(event);
          }
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        `${count} events`,
      );
    },
    closed,
    async close() {
      if (ws.readyState !== ws.CLOSED) ws.close();
      await closed;
    },
  };
  if (options.waitReady !== false) {
    const ready = await client.waitFor((event) => event.type === 'ready');
    (client as { liveFrom: number }).liveFrom = events.indexOf(ready) + 1;
  }
  return client;
}

function describe(events: ChatEvent[]): string {
  return `[${events
    .slice(-12)
    .map((event) => `${event.seq}:${event.type}`)
    .join(', ')}] (${events.length} events)`;
}
