import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { eventsHealth } from '@volundr/core/events/events-health';
import { listAuditEntries } from '@volundr/core/events/list-audit-entries';
import {
  createOutboxDispatcher,
  type DispatchedSink,
  type DispatcherHooks,
  type OutboxDispatcher,
} from '@volundr/core/events/outbox-dispatcher';
import type { AuditLog } from '@volundr/core/events/ports/audit-log';
import type { EventSink } from '@volundr/core/events/ports/event-sink';
import type { Outbox } from '@volundr/core/events/ports/outbox';
import type { Clock } from '@volundr/core/shared/ports/clock';
import type { Database } from '@volundr/db/client';
import { createOutboxRepository } from '@volundr/db/repositories/outbox';
import { z } from 'zod';
import { ConfigError } from '../config/config-error';
import type { EventsConfig } from '../config/events-config';
import type { AppLogger } from '../logger';
import { loadAdapter } from './load-adapter';

/** Sinks the platform adds itself; configured sinks may not take these names. */
export const INTERNAL_SINKS = ['metrics', 'otel'] as const;

export interface ComposedEvents {
  /** This replica's dispatcher name (the lease owner it writes). */
  owner: string;
  dispatcher: OutboxDispatcher;
  outbox: Outbox;
  health: ReturnType<typeof eventsHealth>;
  listAudit: ReturnType<typeof listAuditEntries>;
  /** Starts dispatching (after composition) unless `events.dispatcher.enabled` is false. */
  start(): Promise<void>;
  /** Stops dispatching (releasing the leases) and closes the sinks. */
  stop(): Promise<void>;
}

const ZSinkName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    'letters, digits, ".", "_" or "-", at most 100, starting with a letter or digit',
  );
const ZStartFrom = z.enum(['latest', 'earliest']);

/** The configured sinks: each block's adapter loaded and built, with its cursor name and start. */
export async function loadEventSinks(config: EventsConfig, deps: Record<string, unknown>): Promise<DispatchedSink[]> {
  const sinks: DispatchedSink[] = [];
  for (const [index, raw] of config.sinks.entries()) {
    const where = `events.sinks[${index}]`;
    const { name: rawName, startFrom: rawStart, ...block } = raw;
    const exportName = block.use.slice(block.use.lastIndexOf('#') + 1);
    const name = ZSinkName.safeParse(rawName ?? exportName);
    if (!name.success) throw new ConfigError(`${where}.name: ${name.error.issues[0]?.message}`);
    if ((INTERNAL_SINKS as readonly string[]).includes(name.data))
      throw new ConfigError(`${where}.name: "${name.data}" is reserved for a built-in sink; choose another name`);
    if (sinks.some((s) => s.name === name.data))
      throw new ConfigError(`${where}.name: another sink is already named "${name.data}"; give each sink its own name`);
    const startFrom = ZStartFrom.safeParse(rawStart ?? 'latest');
    if (!startFrom.success) throw new ConfigError(`${where}.startFrom: expected "latest" or "earliest"`);
    const sink = await loadAdapter<EventSink>({ blockName: where, port: 'eventSink', block, deps });
    sinks.push({ name: name.data, sink, startFrom: startFrom.data });
  }
  return sinks;
}

/**
 * The event pipeline of this process: the outbox on the database, the configured sinks
 * (`events.sinks`) plus the built-in ones (this process's metrics, OpenTelemetry chat turns when
 * enabled), one dispatcher delivering each sink from its own cursor, and the health and audit
 * use cases.
 */
export async function composeEvents(input: {
  config: EventsConfig;
  database: Database;
  authorization: Authorization;
  audit: AuditLog;
  clock: Clock;
  logger: AppLogger;
  internalSinks: DispatchedSink[];
  hooks?: DispatcherHooks;
}): Promise<ComposedEvents> {
  const { config, logger } = input;
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const outbox = createOutboxRepository(input.database);
  const configured = await loadEventSinks(config, { logger, clock: input.clock });
  const sinks = [...input.internalSinks, ...configured];
  const { enabled, ...options } = config.dispatcher;
  const dispatcher = createOutboxDispatcher({ outbox, logger, ...(input.hooks ? { hooks: input.hooks } : {}) }, sinks, {
    owner,
    ...options,
  });
  let started = false;
  return {
    owner,
    dispatcher,
    outbox,
    health: eventsHealth({
      outbox,
      authorization: input.authorization,
      clock: input.clock,
      dispatcher: { owner, status: dispatcher.status },
    }),
    listAudit: listAuditEntries({ audit: input.audit, authorization: input.authorization }),
    async start() {
      if (!enabled) {
        logger.info({}, 'event dispatcher disabled in this process');
        return;
      }
      await dispatcher.start();
      started = true;
      logger.info({ owner, sinks: sinks.map((s) => s.name) }, 'event dispatcher started');
    },
    async stop() {
      if (started) await dispatcher.stop();
      started = false;
      for (const { name, sink } of sinks) {
        await sink.close().catch((err: unknown) => logger.warn({ err, sink: name }, 'closing an event sink failed'));
      }
    },
  };
}
