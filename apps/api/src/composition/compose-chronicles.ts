import type { Principal } from '@volundr/contracts/principal';
import type { Session, ZCreateSessionInput, ZReportActivityInput } from '@volundr/contracts/sessions';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { chronicleChain } from '@volundr/core/chronicles/chronicle-chain';
import { chronicleDetail } from '@volundr/core/chronicles/chronicle-detail';
import { chronicleTimeline } from '@volundr/core/chronicles/chronicle-timeline';
import { completeChronicles } from '@volundr/core/chronicles/complete-chronicles';
import { deleteChronicle } from '@volundr/core/chronicles/delete-chronicle';
import { ingestReports } from '@volundr/core/chronicles/ingest-reports';
import { listChronicles } from '@volundr/core/chronicles/list-chronicles';
import type { Chronicles } from '@volundr/core/chronicles/ports/chronicles';
import { purgeExpiredChronicles } from '@volundr/core/chronicles/purge-expired-chronicles';
import { reforgeChronicle } from '@volundr/core/chronicles/reforge-chronicle';
import { sessionTimeline } from '@volundr/core/chronicles/session-timeline';
import { sessionTokenBurn, sessionUsage } from '@volundr/core/chronicles/session-usage';
import { updateChronicle } from '@volundr/core/chronicles/update-chronicle';
import { DomainError } from '@volundr/core/errors';
import { reportSessionActivity } from '@volundr/core/sessions/report-session-activity';
import type { Clock } from '@volundr/core/shared/ports/clock';
import type { Ids } from '@volundr/core/shared/ports/ids';
import type { Database } from '@volundr/db/client';
import { createReportStore, createSessionLookup } from '@volundr/db/repositories/chronicle-reports';
import { createChroniclesRepository } from '@volundr/db/repositories/chronicles';
import { createSessionsRepository } from '@volundr/db/repositories/sessions';
import { createTimelineEventsRepository } from '@volundr/db/repositories/timeline-events';
import { createTokenUsageRepository } from '@volundr/db/repositories/token-usage';
import type { z } from 'zod';
import type { ChroniclesConfig } from '../config/chronicles-config';
import type { AppLogger } from '../logger';
import { type PeriodicJob, startPeriodicJob } from './periodic-job';

/** What chronicles take from the sessions domain, as composed use cases. */
export interface SessionUseCases {
  createSession: (
    principal: Principal,
    input: z.input<typeof ZCreateSessionInput>,
    options: { parentChronicleId: string },
  ) => Promise<Session>;
  reportActivity: (principal: Principal, input: z.input<typeof ZReportActivityInput>) => Promise<void>;
}

export interface ComposeChroniclesOptions {
  config: ChroniclesConfig;
  database: Database;
  authorization: Authorization;
  clock: Clock;
  ids: Ids;
  logger: AppLogger;
  /**
   * The sessions domain's use cases. Without `createSession` reforge answers
   * DEPENDENCY_UNAVAILABLE; without `reportActivity` activity reports go through the core
   * use case on the sessions repository (which writes the activity_changed event with it).
   */
  sessions?: Partial<SessionUseCases>;
}

/** The chronicle use cases and jobs, composed on the database. */
export function composeChronicles(options: ComposeChroniclesOptions) {
  const { database, authorization, clock, ids, config } = options;
  const logger = options.logger.child({ component: 'chronicles' });
  const chronicles: Chronicles = createChroniclesRepository(database);
  const timeline = createTimelineEventsRepository(database);
  const usage = createTokenUsageRepository(database);
  const sessions = createSessionLookup(database);
  const reports = createReportStore(database);

  const reportActivity =
    options.sessions?.reportActivity ??
    reportSessionActivity({
      sessions: createSessionsRepository(database.drizzle),
      authorization,
      clock,
    });
  const createSession: SessionUseCases['createSession'] =
    options.sessions?.createSession ??
    (async () => {
      throw new DomainError('DEPENDENCY_UNAVAILABLE', 'Sessions cannot be created by this API process (not composed).');
    });

  const complete = completeChronicles({
    chronicles,
    timeline,
    clock,
    logger,
    reportGraceMs: config.reportGraceSeconds * 1000,
  });
  const purge =
    config.retentionDays === null
      ? null
      : purgeExpiredChronicles({ chronicles, clock, logger, retentionDays: config.retentionDays });

  const jobs: PeriodicJob[] = [];
  return {
    /** The Chronicles repository; also the sessions domain's SessionChronicles port (deleteForSession). */
    chronicles,
    ingestReports: ingestReports({ sessions, reports, authorization, clock, ids, logger, reportActivity }),
    list: listChronicles({ chronicles, authorization }),
    byId: chronicleDetail({ chronicles, timeline, usage, authorization }),
    update: updateChronicle({ chronicles, authorization, clock }),
    delete: deleteChronicle({ chronicles, authorization }),
    timeline: chronicleTimeline({ chronicles, timeline, authorization }),
    chain: chronicleChain({ chronicles, authorization }),
    reforge: reforgeChronicle({ chronicles, authorization, clock, ids, createSession }),
    sessionTimeline: sessionTimeline({ sessions, chronicles, timeline, authorization }),
    sessionUsage: sessionUsage({ sessions, chronicles, usage, authorization }),
    sessionTokens: sessionTokenBurn({ sessions, chronicles, usage, authorization }),
    /** One completion pass (the job runs it periodically; tests call it directly). */
    completeChronicles: complete,
    /** One retention pass; null when `retentionDays` is not set. */
    purgeExpired: purge,
    /** Starts the completion (and, if configured, retention) jobs. */
    startJobs() {
      if (!config.jobsEnabled || jobs.length > 0) return;
      jobs.push(startPeriodicJob('chronicle-completion', config.completionIntervalSeconds * 1000, complete, logger));
      if (purge)
        jobs.push(startPeriodicJob('chronicle-retention', config.retentionIntervalMinutes * 60_000, purge, logger));
    },
    /** Runs a completion pass soon (e.g. when a session stopped). */
    kickCompletion() {
      jobs[0]?.kick();
    },
    async stopJobs() {
      await Promise.all(jobs.splice(0).map((job) => job.stop()));
    },
  };
}

export type ComposedChronicles = ReturnType<typeof composeChronicles>;
