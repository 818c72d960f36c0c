import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SessionEvent } from '@volundr/contracts/session-events';
import type { EventSink } from '@volundr/core/events/ports/event-sink';
import type { SpanAttributes, Tracer } from '@volundr/core/events/ports/tracer';
import { z } from 'zod';

export const ZTelemetryOptions = z.strictObject({
  /** The OTLP/HTTP endpoint's base URL (a collector: `http://otel-collector:4318`); `/v1/traces` and `/v1/metrics` are appended. */
  endpoint: z.url(),
  serviceName: z.string().min(1).default('volundr'),
  /** Sent with every export (e.g. an API key of a hosted backend). */
  headers: z.record(z.string(), z.string()).default({}),
  /** Extra resource attributes (`deployment.environment.name: prod`). */
  resourceAttributes: z.record(z.string(), z.string()).default({}),
  /** How often metrics are exported. */
  exportIntervalMs: z.int().min(100).max(600_000).default(15_000),
  /** How long finished spans wait to be exported in a batch. */
  spanBatchDelayMs: z.int().min(10).max(60_000).default(2_000),
});
export type TelemetryOptions = z.infer<typeof ZTelemetryOptions>;

export interface RequestInfo {
  method: string;
  /** The route or procedure label (bounded cardinality), e.g. `sessions.create`. */
  route: string;
  status: number;
  seconds: number;
}

type UsageEvent = Extract<SessionEvent, { type: 'usage_recorded' }>;

export interface Telemetry {
  /** The core's Tracer port, exporting to OTLP. */
  tracer: Tracer;
  /** One SERVER span per finished API request (timed by the caller). */
  recordRequest(info: RequestInfo): void;
  /** A chat turn the broker reported: a CLIENT span and the `gen_ai.client.*` metrics. */
  recordChatTurn(event: UsageEvent): void;
  /** An event sink that records each `usage_recorded` event as a chat turn (every other type is ignored). */
  chatTurnSink: EventSink;
  /** Exports what is pending now. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** gen_ai.provider.name from a model id (the catalog names models, not providers). */
export function providerOf(model: string): string {
  if (/claude|anthropic|sonnet|opus|haiku/i.test(model)) return 'anthropic';
  if (/gpt|codex|^o\d|openai/i.test(model)) return 'openai';
  return 'unknown';
}

/**
 * OpenTelemetry for the API process, exported over OTLP/HTTP (JSON). Nothing is registered
 * globally (no global tracer provider or context manager): the spans of one API instance go to
 * its own exporter, which keeps several instances in one process (tests) apart. Parent spans
 * follow the async call chain through an AsyncLocalStorage of this instance.
 */
export function createOtelTelemetry(options: TelemetryOptions, version = '0.0.0'): Telemetry {
  const base = options.endpoint.replace(/\/+$/, '');
  const resource = resourceFromAttributes({
    'service.name': options.serviceName,
    'service.version': version,
    ...options.resourceAttributes,
  });
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces`, headers: options.headers }), {
        scheduledDelayMillis: options.spanBatchDelayMs,
      }),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics`, headers: options.headers }),
        exportIntervalMillis: options.exportIntervalMs,
        exportTimeoutMillis: Math.min(options.exportIntervalMs, 30_000),
      }),
    ],
  });
  const otelTracer = tracerProvider.getTracer('volundr', version);
  const meter = meterProvider.getMeter('volundr', version);
  const tokenUsage = meter.createHistogram('gen_ai.client.token.usage', {
    description: 'Number of input and output tokens used per chat turn',
    unit: '{token}',
    advice: {
      explicitBucketBoundaries: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216],
    },
  });
  const operationDuration = meter.createHistogram('gen_ai.client.operation.duration', {
    description: 'Duration of a chat turn as the coding CLI reported it',
    unit: 's',
    advice: {
      explicitBucketBoundaries: [
        0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
      ],
    },
  });
  const current = new AsyncLocalStorage<Context>();

  const end = (span: Span, error?: unknown) => {
    if (error !== undefined) {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    }
    span.end();
  };

  const tracer: Tracer = {
    async span<T>(name: string, attributes: SpanAttributes, fn: () => Promise<T>, spanOptions?: { root?: boolean }) {
      const parent = spanOptions?.root ? ROOT_CONTEXT : (current.getStore() ?? ROOT_CONTEXT);
      const span = otelTracer.startSpan(name, { attributes }, parent);
      try {
        const result = await current.run(trace.setSpan(parent, span), fn);
        end(span);
        return result;
      } catch (error) {
        end(span, error);
        throw error;
      }
    },
  };

  function recordChatTurn(event: UsageEvent) {
    const d = event.data;
    const provider = providerOf(d.model);
    const common = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': provider,
      'gen_ai.request.model': d.model,
    };
    const endAt = Date.parse(d.occurredAt);
    const startAt = d.durationMs === null ? endAt : endAt - d.durationMs;
    const span = otelTracer.startSpan(
      `chat ${d.model}`,
      {
        kind: SpanKind.CLIENT,
        startTime: new Date(startAt),
        attributes: {
          ...common,
          'gen_ai.conversation.id': event.sessionId,
          'gen_ai.usage.input_tokens': d.inputTokens,
          'gen_ai.usage.output_tokens': d.outputTokens,
          'gen_ai.usage.cache_read.input_tokens': d.cacheReadTokens,
          'gen_ai.usage.cache_creation.input_tokens': d.cacheWriteTokens,
          'volundr.session.id': event.sessionId,
          'volundr.tenant.id': event.tenantId,
          'volundr.turn.id': d.turnId,
          ...(d.costUsd !== null ? { 'volundr.cost_usd': d.costUsd } : {}),
        },
      },
      ROOT_CONTEXT,
    );
    span.end(new Date(endAt));
    tokenUsage.record(d.inputTokens + d.cacheReadTokens + d.cacheWriteTokens, {
      ...common,
      'gen_ai.token.type': 'input',
    });
    tokenUsage.record(d.outputTokens, { ...common, 'gen_ai.token.type': 'output' });
    if (d.durationMs !== null) operationDuration.record(d.durationMs / 1000, common);
  }

  return {
    tracer,
    recordRequest(info) {
      // REST labels carry their method already (`POST /api/v1/sessions`); procedures do not.
      const name = info.route.startsWith(`${info.method} `) ? info.route : `${info.method} ${info.route}`;
      const span = otelTracer.startSpan(
        name,
        {
          kind: SpanKind.SERVER,
          startTime: new Date(Date.now() - info.seconds * 1000),
          attributes: {
            'http.request.method': info.method,
            'http.route': info.route,
            'http.response.status_code': info.status,
          },
        },
        ROOT_CONTEXT,
      );
      if (info.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
    recordChatTurn,
    chatTurnSink: {
      // Recording is in memory; the SDK exports in the background (best effort: a collector
      // that is down loses what its retries cannot deliver, unlike the bus sinks).
      async deliver(events) {
        for (const event of events) if (event.type === 'usage_recorded') recordChatTurn(event);
      },
      async close() {},
    },
    async flush() {
      await tracerProvider.forceFlush();
      await meterProvider.forceFlush();
    },
    async shutdown() {
      await tracerProvider.shutdown().catch(() => {});
      await meterProvider.shutdown().catch(() => {});
    },
  };
}
