import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Tracer } from '@volundr/core/events/ports/tracer';
import type { Integrations } from '@volundr/core/sessions/ports/integrations';
import type { PodManager } from '@volundr/core/sessions/ports/pod-manager';
import type { SessionEvents } from '@volundr/core/sessions/ports/session-events';
import type { Sessions } from '@volundr/core/sessions/ports/sessions';
import { createReconciler, type Reconciler } from '@volundr/core/sessions/reconciler';
import { recordEvent } from '@volundr/core/sessions/record-event';
import type { Contributor } from '@volundr/core/sessions/session-context';
import type { Clock } from '@volundr/core/shared/ports/clock';
import type { Database } from '@volundr/db/client';
import type { ReconcilerConfig } from '../config/sessions-config';
import type { AppLogger } from '../logger';

/** Wakes every API process's reconciler when one of them has new work (a create, start, stop). */
export const WORK_CHANNEL = 'volundr_session_work';

/** A PodManager that also reports provisioning progress (the local runtime does). */
interface ProgressReporting {
  onProgress(listener: (p: { sessionId: string; step: string; message: string }) => void): () => void;
}
const reportsProgress = (pods: PodManager): pods is PodManager & ProgressReporting =>
  typeof (pods as Partial<ProgressReporting>).onProgress === 'function';

export interface ComposedReconciler {
  reconciler: Reconciler;
  /** This process's lease owner id. */
  owner: string;
  /** What use cases call when they create work: this process at once, the others by NOTIFY. */
  notifyWork(): void;
  /** Starts the loop (after composition) unless `reconciler.enabled` is false. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function composeReconciler(input: {
  config: ReconcilerConfig;
  database: Database;
  sessions: Sessions;
  events: SessionEvents;
  podManager: PodManager;
  integrations: Integrations;
  contributors: readonly Contributor[];
  clock: Clock;
  logger: AppLogger;
  tracer?: Tracer;
}): ComposedReconciler {
  const { config, database, logger } = input;
  // Unique per process: a restarted process must not inherit the leases of its predecessor
  // blindly (they expire and are taken over like any other replica's).
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const { enabled: _enabled, ...options } = config;
  const reconciler = createReconciler(
    {
      sessions: input.sessions,
      podManager: input.podManager,
      integrations: input.integrations,
      contributors: input.contributors,
      clock: input.clock,
      logger,
      ...(input.tracer ? { tracer: input.tracer } : {}),
    },
    { owner, ...options },
  );
  const cleanups: Array<() => Promise<void> | void> = [];

  return {
    reconciler,
    owner,
    notifyWork() {
      reconciler.kick();
      database.notify(WORK_CHANNEL, owner).catch((err: unknown) => logger.warn({ err }, 'work notification failed'));
    },
    async start() {
      if (!config.enabled) {
        logger.info({}, 'reconciler disabled in this process');
        return;
      }
      cleanups.push(
        await database.listen(WORK_CHANNEL, (from) => {
          if (from !== owner) reconciler.kick();
        }),
      );
      const pods = input.podManager;
      if (reportsProgress(pods)) {
        // Runtime progress (clone, setup output, services) becomes `pod_progress` events.
        cleanups.push(
          pods.onProgress((p) => {
            input.sessions
              .byId(p.sessionId)
              .then((session) =>
                session
                  ? recordEvent(
                      input.events,
                      session,
                      {
                        type: 'pod_progress',
                        data: { step: p.step.slice(0, 200), message: p.message.slice(0, 4000) },
                      },
                      input.clock.now(),
                    )
                  : undefined,
              )
              .catch((err: unknown) => logger.warn({ err, sessionId: p.sessionId }, 'progress event not recorded'));
          }),
        );
      }
      reconciler.start();
      logger.info({ leaseOwner: owner }, 'reconciler started');
    },
    async stop() {
      await reconciler.stop();
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    },
  };
}
