import { createOtelTelemetry, type RequestInfo, type Telemetry } from '@volundr/adapter-events/otel-telemetry';
import type { EventSink } from '@volundr/core/events/ports/event-sink';
import { noopTracer, type Tracer } from '@volundr/core/events/ports/tracer';
import type { TelemetryConfig } from '../config/events-config';
import type { AppLogger } from '../logger';

export interface ComposedTelemetry {
  /** The core's Tracer: OpenTelemetry when enabled, a no-op otherwise. */
  tracer: Tracer;
  /** A SERVER span per finished request (no-op when disabled). */
  recordRequest(info: RequestInfo): void;
  /** The dispatcher sink turning usage reports into chat spans and gen_ai metrics (null when disabled). */
  chatTurnSink: EventSink | null;
  telemetry: Telemetry | null;
  shutdown(): Promise<void>;
}

/** OpenTelemetry for this process when `telemetry.enabled`; off by default. */
export function composeTelemetry(config: TelemetryConfig, version: string, logger: AppLogger): ComposedTelemetry {
  if (!config.enabled) {
    return {
      tracer: noopTracer,
      recordRequest: () => {},
      chatTurnSink: null,
      telemetry: null,
      shutdown: async () => {},
    };
  }
  const { enabled: _enabled, ...options } = config;
  const telemetry = createOtelTelemetry(options, version);
  logger.info({ endpoint: config.endpoint, serviceName: config.serviceName }, 'OpenTelemetry export enabled');
  return {
    tracer: telemetry.tracer,
    recordRequest: (info) => telemetry.recordRequest(info),
    chatTurnSink: telemetry.chatTurnSink,
    telemetry,
    async shutdown() {
      await telemetry.flush().catch((err: unknown) => logger.warn({ err }, 'OpenTelemetry flush failed'));
      await telemetry.shutdown();
    },
  };
}
