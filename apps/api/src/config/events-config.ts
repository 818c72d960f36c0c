import { z } from 'zod';
import { ZAdapterBlock } from './adapter-block';

/**
 * The `events:` section (docs/events-and-observability.md): the sinks domain events are
 * dispatched to besides PostgreSQL, and this process's dispatcher.
 *
 * A sink block is an adapter block with two keys the root reads itself: `name` (the cursor's
 * key, default: the export name; give two sinks of one adapter different names) and `startFrom`
 * (`latest` | `earliest`: where a sink seen for the first time starts; default `latest`).
 */
export const ZEventsConfig = z
  .object({
    sinks: z.array(ZAdapterBlock).default([]),
    dispatcher: z
      .object({
        /** Dispatch in this process (replicas share each sink through a lease). */
        enabled: z.boolean().default(true),
        batchSize: z.int().min(1).max(10_000).default(500),
        /** A read even without an append notification. */
        pollIntervalMs: z.int().min(10).max(60_000).default(500),
        /** A replica that dies lets its sinks go after this long. */
        leaseMs: z.int().min(1_000).max(600_000).default(15_000),
        retryInitialMs: z.int().min(10).max(60_000).default(200),
        retryMaxMs: z.int().min(10).max(600_000).default(10_000),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type EventsConfig = z.infer<typeof ZEventsConfig>;

/** The `telemetry:` section: OpenTelemetry over OTLP/HTTP (JSON), off unless enabled. */
export const ZTelemetryConfig = z
  .object({
    enabled: z.boolean().default(false),
    /** The collector's OTLP/HTTP base URL (`/v1/traces`, `/v1/metrics` are appended). */
    endpoint: z.url().default('http://localhost:4318'),
    serviceName: z.string().min(1).default('volundr'),
    headers: z.record(z.string(), z.string()).default({}),
    resourceAttributes: z.record(z.string(), z.string()).default({}),
    exportIntervalMs: z.int().min(100).max(600_000).default(15_000),
    spanBatchDelayMs: z.int().min(10).max(60_000).default(2_000),
  })
  .strict();
export type TelemetryConfig = z.infer<typeof ZTelemetryConfig>;

/** The `metrics:` section: Prometheus text at `/metrics` of the API. */
export const ZMetricsConfig = z
  .object({
    enabled: z.boolean().default(true),
    /** Database-derived gauges (sessions by state, lags) are read at most this often. */
    databaseCacheMs: z.int().min(0).max(600_000).default(5_000),
    /** Node.js process metrics (CPU, memory, event-loop lag) too. */
    processMetrics: z.boolean().default(true),
  })
  .strict();
export type MetricsConfig = z.infer<typeof ZMetricsConfig>;

/** The `audit:` section: how long the audit log keeps its entries (docs/events-and-observability.md). */
export const ZAuditConfig = z
  .object({
    /** Delete entries older than this many days; null: keep them forever. */
    retentionDays: z.int().min(1).max(36_500).nullable().default(null),
    /** How often the retention job runs when `retentionDays` is set. */
    retentionIntervalMinutes: z.int().min(1).max(10_080).default(60),
  })
  .strict();
export type AuditConfig = z.infer<typeof ZAuditConfig>;
