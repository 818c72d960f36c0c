import type { SessionEvent } from '@volundr/contracts/session-events';
import { ZSessionState } from '@volundr/contracts/sessions';
import type { SinkRuntime } from '@volundr/core/events/outbox-dispatcher';
import type { EventSink } from '@volundr/core/events/ports/event-sink';
import type { Outbox } from '@volundr/core/events/ports/outbox';
import type { Database, Row } from '@volundr/db/client';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsConfig } from '../config/events-config';
import type { RestRoute } from '../rest/rest-route';

export interface FinishedRequest {
  method: string;
  path: string;
  /** The server's coarse label (route prefix, `/healthz`…), used when nothing finer matches. */
  route: string;
  status: number;
  seconds: number;
}

/** What a request is, for labels: one label per tRPC procedure or REST route template (bounded). */
export interface RequestLabel {
  labels: string[];
  /** A subscription stream (SSE): counted as a live subscriber, not timed. */
  subscription: boolean;
}

export interface ComposedMetrics {
  registry: Registry;
  labelOf(method: string, path: string, fallback: string): RequestLabel;
  requestStarted(info: { method: string; path: string }): void;
  requestFinished(info: FinishedRequest): void;
  /** Turns domain events into metrics (provisioning durations, broker connections, events by type, tokens). */
  sink: EventSink;
  /** Delivery counts and latencies, from the dispatcher's hooks. */
  delivered(sink: string, events: readonly SessionEvent[]): void;
  deliveryFailed(sink: string): void;
  /** Database-derived gauges, once the database and the dispatcher exist. */
  attach(sources: { database: Database; outbox: Outbox; sinks: () => SinkRuntime[] }): void;
}

export interface RouterShape {
  /** Every tRPC procedure path (`sessions.create`). */
  procedures: ReadonlySet<string>;
  subscriptions: ReadonlySet<string>;
  restRoutes: readonly RestRoute[];
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const PROVISIONING_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];

/**
 * The Prometheus registry of this API process (`/metrics`). Request metrics are recorded as
 * requests finish; the session and lag gauges are read from the database when scraped (cached
 * `databaseCacheMs`, one query each); event-derived metrics come through an outbox sink, so they
 * move in the replica that dispatches that sink (sum them across replicas).
 */
export function composeMetrics(config: MetricsConfig, shape: RouterShape): ComposedMetrics {
  const registry = new Registry();
  if (config.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'volundr_' });
  const registers = [registry];

  // Literal paths before templates (`/sessions/stream` is not `/sessions/{id}`).
  const placeholders = (path: string) => (path.match(/\{/g) ?? []).length;
  const restMatchers = [...shape.restRoutes]
    .sort((a, b) => placeholders(a.path) - placeholders(b.path))
    .map((r) => ({
      method: r.method,
      label: `${r.method} /api/v1${r.path}`,
      stream: r.stream === true,
      pattern: new RegExp(`^/api/v1${r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
    }));

  function labelOf(method: string, path: string, fallback: string): RequestLabel {
    if (path.startsWith('/trpc/')) {
      const names = path.slice('/trpc/'.length).split(',');
      const known = names.map((n) => (shape.procedures.has(n) ? n : 'trpc:unknown'));
      return { labels: known, subscription: names.some((n) => shape.subscriptions.has(n)) };
    }
    if (path.startsWith('/api/v1/')) {
      const match = restMatchers.find((m) => m.method === method && m.pattern.test(path));
      return match
        ? { labels: [match.label], subscription: match.stream }
        : { labels: ['rest:unmatched'], subscription: false };
    }
    return { labels: [fallback], subscription: false };
  }

  const duration = new Histogram({
    name: 'volundr_http_request_duration_seconds',
    help: 'API request latency by tRPC procedure or REST route (subscriptions excluded)',
    labelNames: ['route', 'method', 'status'],
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const inFlight = new Gauge({ name: 'volundr_http_requests_in_flight', help: 'Requests being served', registers });
  const subscribers = new Gauge({
    name: 'volundr_live_subscribers',
    help: 'Open subscription streams (sessions.onState over SSE)',
    registers,
  });
  const eventsTotal = new Counter({
    name: 'volundr_session_events_total',
    help: 'Domain events seen by the metrics sink, by type',
    labelNames: ['type'],
    registers,
  });
  const provisioning = new Histogram({
    name: 'volundr_provisioning_duration_seconds',
    help: 'From start (starting) to running or failed',
    labelNames: ['outcome'],
    buckets: PROVISIONING_BUCKETS,
    registers,
  });
  const tokens = new Counter({
    name: 'volundr_tokens_total',
    help: 'Tokens reported by brokers, by model and kind',
    labelNames: ['model', 'kind'],
    registers,
  });
  const turns = new Counter({
    name: 'volundr_chat_turns_total',
    help: 'Chat turns reported by brokers',
    labelNames: ['model'],
    registers,
  });
  const brokerConnections = new Map<string, number>();
  new Gauge({
    name: 'volundr_broker_connections',
    help: 'Chat connections the brokers reported (activity reports carrying metadata.connections)',
    registers,
    collect() {
      let total = 0;
      for (const n of brokerConnections.values()) total += n;
      this.set(total);
    },
  });
  const delivered = new Counter({
    name: 'volundr_outbox_delivered_total',
    help: 'Events delivered to each sink by this replica',
    labelNames: ['sink'],
    registers,
  });
  const failures = new Counter({
    name: 'volundr_outbox_delivery_failures_total',
    help: 'Failed deliveries to each sink by this replica (each is retried)',
    labelNames: ['sink'],
    registers,
  });
  const latency = new Histogram({
    name: 'volundr_outbox_delivery_latency_seconds',
    help: 'From an event being logged to its sink confirming it',
    labelNames: ['sink'],
    buckets: SECONDS_BUCKETS,
    registers,
  });

  // ── database-derived gauges, read when scraped ─────────────────────────────────────────────
  let sources: Parameters<ComposedMetrics['attach']>[0] | null = null;
  interface Snapshot {
    states: Map<string, number>;
    pending: Map<string, { count: number; oldest: number }>;
    lag: Map<string, { events: number; seconds: number }>;
  }
  let cached: { at: number; value: Promise<Snapshot> } | null = null;

  async function readSnapshot(s: NonNullable<typeof sources>): Promise<Snapshot> {
    const states = new Map<string, number>();
    for (const row of await s.database.execute<{ state: string; n: number } & Row>(
      'SELECT state, count(*)::int AS n FROM sessions GROUP BY state',
    ))
      states.set(row.state, Number(row.n));
    const pending = new Map<string, { count: number; oldest: number }>();
    // Work no reconciler holds: a growing age means provisioning is not being picked up.
    for (const row of await s.database.execute<{ state: string; n: number; oldest: number | string } & Row>(
      `SELECT state, count(*)::int AS n, extract(epoch FROM now() - min(updated_at))::float8 AS oldest
       FROM sessions WHERE state IN ('starting', 'stopping') AND (lease_owner IS NULL OR lease_expires_at < now())
       GROUP BY state`,
    ))
      pending.set(row.state, { count: Number(row.n), oldest: Math.max(0, Number(row.oldest)) });
    const lag = new Map<string, { events: number; seconds: number }>();
    const now = Date.now();
    for (const sink of s.sinks()) {
      const l = await s.outbox.lag(sink.name, 1_000_000);
      lag.set(sink.name, {
        events: l.events,
        seconds: l.oldestAt ? Math.max(0, (now - l.oldestAt.getTime()) / 1000) : 0,
      });
    }
    return { states, pending, lag };
  }

  function snapshot(): Promise<Snapshot> | null {
    if (!sources) return null;
    const current = sources;
    if (!cached || Date.now() - cached.at > config.databaseCacheMs) {
      cached = { at: Date.now(), value: readSnapshot(current) };
      // A failed read is not cached: the next scrape tries again.
      cached.value.catch(() => {
        cached = null;
      });
    }
    return cached.value;
  }

  new Gauge({
    name: 'volundr_sessions',
    help: 'Sessions by state',
    labelNames: ['state'],
    registers,
    async collect() {
      const s = await snapshot();
      if (!s) return;
      for (const state of ZSessionState.options) this.set({ state }, s.states.get(state) ?? 0);
    },
  });
  new Gauge({
    name: 'volundr_reconciler_pending_sessions',
    help: 'Sessions waiting for a reconciler (starting or stopping, not leased)',
    labelNames: ['state'],
    registers,
    async collect() {
      const s = await snapshot();
      if (!s) return;
      for (const state of ['starting', 'stopping']) this.set({ state }, s.pending.get(state)?.count ?? 0);
    },
  });
  new Gauge({
    name: 'volundr_reconciler_lag_seconds',
    help: 'Age of the oldest session waiting for a reconciler (0 when none waits)',
    registers,
    async collect() {
      const s = await snapshot();
      if (!s) return;
      this.set(Math.max(0, ...[...s.pending.values()].map((p) => p.oldest)));
    },
  });
  new Gauge({
    name: 'volundr_outbox_lag_events',
    help: 'Events logged but not yet delivered, per sink',
    labelNames: ['sink'],
    registers,
    async collect() {
      const s = await snapshot();
      if (!s) return;
      for (const [sink, l] of s.lag) this.set({ sink }, l.events);
    },
  });
  new Gauge({
    name: 'volundr_outbox_lag_seconds',
    help: 'Age of the oldest event not yet delivered, per sink',
    labelNames: ['sink'],
    registers,
    async collect() {
      const s = await snapshot();
      if (!s) return;
      for (const [sink, l] of s.lag) this.set({ sink }, l.seconds);
    },
  });

  // ── the metrics sink ───────────────────────────────────────────────────────────────────────
  const startedAt = new Map<string, number>();
  const MAX_TRACKED = 100_000;
  function observe(event: SessionEvent) {
    eventsTotal.inc({ type: event.type });
    const at = Date.parse(event.createdAt);
    switch (event.type) {
      case 'state_changed': {
        const { from, to } = event.data;
        if (to === 'starting') {
          if (startedAt.size >= MAX_TRACKED) startedAt.delete(startedAt.keys().next().value as string);
          startedAt.set(event.sessionId, at);
        } else if (to === 'running' || (to === 'failed' && (from === 'starting' || from === 'provisioning'))) {
          const started = startedAt.get(event.sessionId);
          startedAt.delete(event.sessionId);
          if (started !== undefined) provisioning.observe({ outcome: to }, Math.max(0, (at - started) / 1000));
        }
        if (to === 'stopped' || to === 'failed' || to === 'archived') brokerConnections.delete(event.sessionId);
        return;
      }
      case 'session_deleted':
        brokerConnections.delete(event.sessionId);
        startedAt.delete(event.sessionId);
        return;
      case 'activity_changed': {
        const reported = event.data.metadata.connections;
        if (typeof reported === 'number' && Number.isFinite(reported) && reported >= 0)
          brokerConnections.set(event.sessionId, reported);
        return;
      }
      case 'usage_recorded': {
        const { model } = event.data;
        turns.inc({ model });
        tokens.inc({ model, kind: 'input' }, event.data.inputTokens);
        tokens.inc({ model, kind: 'output' }, event.data.outputTokens);
        tokens.inc({ model, kind: 'cache_read' }, event.data.cacheReadTokens);
        tokens.inc({ model, kind: 'cache_write' }, event.data.cacheWriteTokens);
        return;
      }
      default:
        return;
    }
  }

  return {
    registry,
    labelOf,
    requestStarted(info) {
      inFlight.inc();
      if (labelOf(info.method, info.path, '').subscription) subscribers.inc();
    },
    requestFinished(info) {
      inFlight.dec();
      const label = labelOf(info.method, info.path, info.route);
      if (label.subscription) {
        subscribers.dec();
        return;
      }
      for (const route of label.labels)
        duration.observe({ route, method: info.method, status: String(info.status) }, info.seconds);
    },
    sink: {
      async deliver(events) {
        for (const event of events) observe(event);
      },
      async close() {},
    },
    delivered(sink, events) {
      delivered.inc({ sink }, events.length);
      const now = Date.now();
      for (const e of events) latency.observe({ sink }, Math.max(0, (now - Date.parse(e.createdAt)) / 1000));
    },
    deliveryFailed(sink) {
      failures.inc({ sink });
    },
    attach(s) {
      sources = s;
    },
  };
}
