/**
 * Fan-out of the conversation's events to every connected client. `publish` queues a body;
 * at the end of the current tick the queue is written to the durable log in one write, handed
 * to the listeners (reports) and only then sent. A joining client is subscribed before its
 * backlog is read from the log, so replay + live has neither gaps nor duplicates; its `ready`
 * (not logged) comes right after the backlog, so it also marks where the replay ends.
 */
import type { ChatEvent, ChatEventBody } from '@volundr/contracts/chat';
import type { Logger } from '@volundr/core/shared/ports/logger';
import type { WebSocket } from 'ws';
import type { EventLog, LoggedEvent } from '../log/event-log';

export interface EventHubOptions {
  log: EventLog;
  logger: Logger;
  /** Called with each batch of logged events, before they are sent. Must not throw. */
  onLogged?: (events: readonly ChatEvent[]) => void;
  /** A client whose unsent data exceeds this is dropped (it reconnects with `after`). */
  maxBufferedBytes?: number;
  now?: () => Date;
}

interface Subscriber {
  ws: WebSocket;
  live: boolean;
  /** Logged while the backlog was being sent. */
  held: LoggedEvent[];
}

export interface EventHub {
  publish(body: ChatEventBody): void;
  /** Writes and sends what is queued now instead of at the end of the tick. */
  flush(): void;
  /**
   * Subscribes `ws`, sends every logged event with `seq > after`, then `ready()` (ephemeral),
   * then live events.
   */
  attach(ws: WebSocket, after: number, ready: () => ChatEventBody): Promise<void>;
  detach(ws: WebSocket): void;
  /** An answer for one connection only: not logged, not broadcast (`ephemeral: true`). */
  reply(ws: WebSocket, body: ChatEventBody): void;
  /** A state notice for every live client (e.g. a new `ready` after set_model): not logged. */
  announce(body: ChatEventBody): void;
  readonly clientCount: number;
  closeAll(code: number, reason: string): void;
}

/** During a replay, wait for the socket every this many lines so a huge log does not pile up in memory. */
const REPLAY_PACE = 256;

export function createEventHub(options: EventHubOptions): EventHub {
  const { log, logger } = options;
  const maxBufferedBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
  const now = options.now ?? (() => new Date());
  const subscribers = new Map<WebSocket, Subscriber>();
  let pending: ChatEventBody[] = [];
  let scheduled = false;

  const send = (sub: Subscriber, line: string) => {
    if (sub.ws.readyState !== sub.ws.OPEN) return;
    if (sub.ws.bufferedAmount > maxBufferedBytes) {
      logger.warn({ buffered: sub.ws.bufferedAmount }, 'client is not reading; dropping it (it may resume with after)');
      subscribers.delete(sub.ws);
      sub.ws.terminate();
      return;
    }
    sub.ws.send(line);
  };

  /** seq of an ephemeral event: the last logged one the client has (at least 1, as the schema wants). */
  const ephemeral = (body: ChatEventBody, seq: number) =>
    JSON.stringify({ seq: Math.max(1, seq), ts: now().toISOString(), ...body, ephemeral: true } as ChatEvent);

  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const bodies = pending;
    pending = [];
    const logged = log.append(bodies);
    if (options.onLogged) {
      try {
        options.onLogged(logged.map((entry) => entry.event));
      } catch (error) {
        logger.error({ error: (error as Error).message }, 'event listener failed');
      }
    }
    for (const sub of subscribers.values()) {
      if (!sub.live) {
        sub.held.push(...logged);
        continue;
      }
      // One write for the whole tick's events instead of one per frame: fewer syscalls here and
      // fewer wake-ups in the client (halves the per-event latency in the benchmark). ws keeps its
      // net.Socket in `_socket`; without it, frames are simply written one by one.
      const socket = (sub.ws as unknown as { _socket?: { cork?: () => void; uncork?: () => void } })._socket;
      socket?.cork?.();
      for (const entry of logged) send(sub, entry.line);
      socket?.uncork?.();
    }
  };

  return {
    publish(body) {
      pending.push(body);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    flush,
    async attach(ws, requestedAfter, ready) {
      let after = requestedAfter;
      if (after > log.lastSeq) {
        // The log was reset (or the client talks to another session's broker): its position
        // means nothing here, so it gets the whole log and is told to forget what it had.
        this.reply(ws, {
          type: 'error',
          code: 'after_out_of_range',
          message: `after=${after} is beyond the last event (seq ${log.lastSeq}); replaying from the start`,
        });
        after = 0;
      }
      const sub: Subscriber = { ws, live: false, held: [] };
      subscribers.set(ws, sub);
      // Events queued but not yet logged would otherwise reach this client as held events only.
      flush();
      let lastSent = after;
      let sinceWait = 0;
      for await (const line of log.readAfter(after)) {
        if (ws.readyState !== ws.OPEN || !subscribers.has(ws)) return;
        const seq = Number(/^\{"seq":(\d+)/.exec(line)?.[1] ?? Number.NaN);
        if (Number.isFinite(seq)) lastSent = seq;
        if (++sinceWait >= REPLAY_PACE) {
          sinceWait = 0;
          await new Promise<void>((resolve) => ws.send(line, () => resolve()));
        } else {
          ws.send(line);
        }
      }
      if (ws.readyState !== ws.OPEN || !subscribers.has(ws)) return;
      ws.send(ephemeral(ready(), lastSent));
      for (const entry of sub.held) {
        if (entry.event.seq > lastSent) send(sub, entry.line);
      }
      sub.held = [];
      sub.live = true;
    },
    detach(ws) {
      subscribers.delete(ws);
    },
    reply(ws, body) {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(ephemeral(body, log.lastSeq));
    },
    announce(body) {
      const line = ephemeral(body, log.lastSeq);
      for (const sub of subscribers.values()) if (sub.live) send(sub, line);
    },
    get clientCount() {
      return subscribers.size;
    },
    closeAll(code, reason) {
      for (const sub of subscribers.values()) sub.ws.close(code, reason);
      subscribers.clear();
    },
  };
}
