import type { SessionEvent } from '@volundr/contracts/session-events';
import type { Logger } from '../shared/ports/logger';
import type { EventSink } from './ports/event-sink';
import type { Outbox, OutboxBatch, OutboxPosition, StartFrom } from './ports/outbox';

export interface DispatchedSink {
  /** The cursor's key in `outbox_cursors`; unique among the sinks. */
  name: string;
  sink: EventSink;
  /** Where the cursor starts when the sink is seen for the first time. Default `latest`. */
  startFrom?: StartFrom;
}

export interface OutboxDispatcherOptions {
  /** This replica's name; one replica at a time holds each sink's lease. */
  owner: string;
  /** Events per delivery. Default 500. */
  batchSize?: number;
  /** How long a lease lasts without renewal; a dead replica's sinks are taken over after it. Default 15 s. */
  leaseMs?: number;
  /** A read even without an append notification (a lost NOTIFY, an event held back by the tx_id rule). Default 1 s. */
  pollIntervalMs?: number;
  /** Backoff between failed deliveries: doubles from `initialMs` up to `maxMs`. Defaults 200 ms, 10 s. */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export interface DispatcherHooks {
  /** After each confirmed delivery (metrics: counts, commit-to-delivery latency). */
  onDelivered?(sink: string, events: readonly SessionEvent[]): void;
  onFailed?(sink: string, error: unknown): void;
}

/** What this replica knows about one sink right now. */
export interface SinkRuntime {
  name: string;
  /** `delivering`/`failing` while this replica holds the lease; `standby` while another does. */
  state: 'delivering' | 'failing' | 'standby' | 'stopped';
  /** Consecutive failed deliveries (this replica). */
  failures: number;
  lastError: string | null;
  /** Events this replica delivered to the sink since it started. */
  delivered: number;
}

export interface OutboxDispatcher {
  /** Starts one loop per sink (each sink on its own: a failing one never holds the others back). */
  start(): Promise<void>;
  /** Ends the loops (a delivery in flight finishes or times out first) and gives the leases up. */
  stop(): Promise<void>;
  /** Reads at once (new events were appended). */
  kick(): void;
  status(): SinkRuntime[];
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 2000);

/**
 * Delivers the event log to each sink at least once, in log order, each sink with its own
 * cursor: read a batch after the cursor, deliver it, and only then move the cursor (fenced by
 * the sink's lease, so a replica that lost the lease cannot move it). A failed delivery is
 * retried from the same cursor with backoff, for as long as it takes: a sink outage delays its
 * events, never loses them, and never touches the API's requests (they only append to the log).
 */
export function createOutboxDispatcher(
  deps: { outbox: Outbox; logger: Logger; hooks?: DispatcherHooks },
  sinks: readonly DispatchedSink[],
  options: OutboxDispatcherOptions,
): OutboxDispatcher {
  const batchSize = options.batchSize ?? 500;
  const leaseMs = options.leaseMs ?? 15_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const retryInitialMs = options.retryInitialMs ?? 200;
  const retryMaxMs = options.retryMaxMs ?? 10_000;
  const renewEveryMs = Math.max(1, Math.floor(leaseMs / 3));
  const { outbox, hooks } = deps;
  const log = deps.logger.child({ component: 'outbox-dispatcher', owner: options.owner });

  const names = new Set<string>();
  for (const { name } of sinks) {
    if (names.has(name)) throw new Error(`two event sinks are named "${name}": give each a distinct name`);
    names.add(name);
  }

  const runtime = new Map<string, SinkRuntime>(
    sinks.map((s) => [s.name, { name: s.name, state: 'stopped', failures: 0, lastError: null, delivered: 0 }]),
  );
  let running = false;
  let loops: Promise<void>[] = [];
  let unlisten: (() => Promise<void>) | null = null;
  let wakers = new Set<() => void>();
  /** Every pending pause, ended at once by `stop`. */
  const stopWakers = new Set<() => void>();

  /** Bumped by every append notification: a loop that saw it move since its read reads again. */
  let generation = 0;
  const wakeAll = () => {
    generation += 1;
    const current = wakers;
    wakers = new Set();
    for (const wake of current) wake();
  };

  /** Waits `ms`, or less when kicked (if `kickable`) or stopped. */
  function pause(ms: number, kickable: boolean): Promise<void> {
    if (!running) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        stopWakers.delete(done);
        resolve();
      };
      const wake = () => done();
      const timer = setTimeout(done, ms);
      if (kickable) wakers.add(wake);
      stopWakers.add(done);
    });
  }

  async function loop(config: DispatchedSink) {
    const state = runtime.get(config.name)!;
    const sinkLog = log.child({ sink: config.name });
    let position: OutboxPosition | null = null;
    let renewedAt = 0;
    let backoff = retryInitialMs;
    /** The next batch, read while the current one is being delivered (null: read it now). */
    let prefetched: Promise<OutboxBatch | null> | null = null;
    const dropPrefetch = () => {
      prefetched?.catch(() => {});
      prefetched = null;
    };

    const lose = () => {
      sinkLog.warn({}, 'lease lost: another replica dispatches this sink now');
      dropPrefetch();
      position = null;
      state.state = 'standby';
    };

    while (running) {
      if (!position) {
        try {
          position = await outbox.lease(config.name, options.owner, leaseMs, config.startFrom ?? 'latest');
        } catch (error) {
          sinkLog.warn({ err: error }, 'could not take the sink lease; retrying');
          await pause(pollIntervalMs, false);
          continue;
        }
        if (!position) {
          state.state = 'standby';
          await pause(Math.max(pollIntervalMs, renewEveryMs), false);
          continue;
        }
        renewedAt = Date.now();
        if (state.state !== 'failing') state.state = 'delivering';
        sinkLog.info({ cursor: position }, 'dispatching this sink');
      }

      const seen = generation;
      let read: OutboxBatch;
      try {
        const ahead = prefetched ? await prefetched : null;
        prefetched = null;
        // An empty prefetch is stale (it was read before the last notification): read again.
        read = ahead && ahead.events.length > 0 ? ahead : await outbox.read(position, batchSize);
      } catch (error) {
        sinkLog.warn({ err: error }, 'reading the event log failed; retrying');
        await pause(pollIntervalMs, false);
        continue;
      }

      const batch = read.events;
      if (batch.length === 0) {
        if (Date.now() - renewedAt >= renewEveryMs) {
          const kept = await outbox.advance(config.name, options.owner, position, leaseMs).catch((error: unknown) => {
            sinkLog.warn({ err: error }, 'lease renewal failed; retrying');
            return true;
          });
          if (!kept) {
            lose();
            continue;
          }
          renewedAt = Date.now();
        }
        // An append notified while we were reading: read again rather than wait for the next one.
        // Events held back by an older open transaction: look again soon (it ends without notifying).
        if (generation === seen) await pause(read.heldBack ? Math.min(pollIntervalMs, 20) : pollIntervalMs, true);
        continue;
      }

      const events = batch.map((b) => b.event);
      const last = batch.at(-1)!.position;
      // Read the next batch while this one is delivered (a full batch says more is waiting).
      if (batch.length === batchSize || read.heldBack) prefetched = outbox.read(last, batchSize).catch(() => null);
      try {
        await config.sink.deliver(events);
      } catch (error) {
        dropPrefetch();
        state.failures += 1;
        state.lastError = messageOf(error);
        state.state = 'failing';
        hooks?.onFailed?.(config.name, error);
        sinkLog.warn(
          { err: error, failures: state.failures, retryInMs: backoff, pending: events.length },
          'delivery failed; retrying from the same cursor',
        );
        await outbox.recordFailure(config.name, options.owner, state.lastError).catch(() => {});
        // Keep the lease while retrying: the events wait here, in order, for the sink to return.
        const kept = await outbox.advance(config.name, options.owner, position, leaseMs).catch(() => true);
        if (!kept) lose();
        else renewedAt = Date.now();
        await pause(backoff, false);
        backoff = Math.min(backoff * 2, retryMaxMs);
        continue;
      }

      let kept: boolean;
      try {
        kept = await outbox.advance(config.name, options.owner, last, leaseMs);
      } catch (error) {
        // Delivered but not recorded: the batch goes again (same ids), which sinks tolerate.
        dropPrefetch();
        sinkLog.warn({ err: error }, 'could not move the cursor; the batch will be delivered again');
        await pause(pollIntervalMs, false);
        continue;
      }
      if (!kept) {
        lose();
        continue;
      }
      position = last;
      renewedAt = Date.now();
      backoff = retryInitialMs;
      if (state.failures > 0) sinkLog.info({ after: state.failures }, 'sink recovered');
      state.failures = 0;
      state.lastError = null;
      state.state = 'delivering';
      state.delivered += events.length;
      hooks?.onDelivered?.(config.name, events);
    }

    if (position) {
      await outbox.release(config.name, options.owner).catch((error: unknown) => {
        sinkLog.warn({ err: error }, 'could not release the sink lease; it expires by itself');
      });
    }
    state.state = 'stopped';
  }

  return {
    async start() {
      if (running) return;
      running = true;
      unlisten = await outbox.onAppended(wakeAll);
      loops = sinks.map((s) =>
        loop(s).catch((error: unknown) => {
          // A bug, not an outage (those are retried inside): say so loudly.
          log.error({ sink: s.name, err: error }, 'the dispatch loop of a sink stopped');
        }),
      );
    },
    async stop() {
      if (!running) return;
      running = false;
      for (const stop of [...stopWakers]) stop();
      wakeAll();
      await Promise.all(loops);
      loops = [];
      await unlisten?.().catch(() => {});
      unlisten = null;
    },
    kick: wakeAll,
    status: () => [...runtime.values()].map((s) => ({ ...s })),
  };
}
