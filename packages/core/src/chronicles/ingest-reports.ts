import { type SubmitReportsInput, ZSubmitReportsInput } from '@volundr/contracts/chronicles';
import type { Principal } from '@volundr/contracts/principal';
import type {
  ActivityReport,
  FinalReport,
  ReportBatchResult,
  ReportKind,
  TimelineReport,
  UsageReport,
} from '@volundr/contracts/reports';
import type { ZReportActivityInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Action, Authorization } from '../authz/ports/authorization';
import { isDomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import type { Clock } from '../shared/ports/clock';
import type { Ids } from '../shared/ports/ids';
import type { Logger } from '../shared/ports/logger';
import { loadSessionFactsFor } from './chronicle-access';
import { sessionHasEnded } from './completion-rules';
import type { ReportStore } from './ports/report-store';
import type { SessionLookup } from './ports/session-lookup';

export interface IngestReportsDeps {
  sessions: SessionLookup;
  reports: ReportStore;
  authorization: Authorization;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /** The sessions domain's activity use case (idle clock, activity events). */
  reportActivity: (principal: Principal, input: z.input<typeof ZReportActivityInput>) => Promise<void>;
}

export const reportAction: Record<ReportKind, Action> = {
  usage: 'report_usage',
  activity: 'report_activity',
  timeline: 'report_timeline',
  final: 'report_chronicle',
};

/**
 * Stores a batch from the session's broker. Only a principal allowed to report each kind of
 * report in the batch on this session (its broker's session-scoped token, or its owner) may.
 *
 * Idempotent by key: a key stored before is accepted again and changes nothing, so a batch
 * delivered three times counts once. Usage, timeline and the final report are stored in one
 * transaction; activity goes through the sessions domain afterwards, and a key whose activity
 * could not be applied is left out of `accepted` so the broker sends it again.
 */
export const ingestReports =
  (deps: IngestReportsDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZSubmitReportsInput>): Promise<ReportBatchResult> => {
    const input: SubmitReportsInput = validateInput(ZSubmitReportsInput, rawInput, 'report batch');
    const kinds = [...new Set(input.batch.reports.map((r) => r.kind))];
    const session = await loadSessionFactsFor(
      deps,
      principal,
      input.sessionId,
      kinds.map((kind) => reportAction[kind]),
    );

    // The same key twice in one batch is one report: the first one counts.
    const seen = new Set<string>();
    const usage: UsageReport[] = [];
    const timeline: TimelineReport[] = [];
    const activity: ActivityReport[] = [];
    let final: FinalReport | null = null;
    for (const report of input.batch.reports) {
      if (seen.has(report.key)) continue;
      seen.add(report.key);
      if (report.kind === 'usage') usage.push(report);
      else if (report.kind === 'timeline') timeline.push(report);
      else if (report.kind === 'activity') activity.push(report);
      else if (!final || report.occurredAt >= final.occurredAt) final = report;
    }
    const finals = input.batch.reports.filter((r): r is FinalReport => r.kind === 'final');

    const accepted: string[] = [];
    if (usage.length > 0 || timeline.length > 0 || final) {
      const stored = await deps.reports.store(
        session,
        { usage, timeline, final },
        {
          newChronicleId: deps.ids.next(),
          at: deps.clock.now(),
          completeOnFinal: sessionHasEnded(session.state),
          reopenOnNewEvents: !sessionHasEnded(session.state),
        },
      );
      accepted.push(...usage.map((r) => r.key), ...timeline.map((r) => r.key), ...finals.map((r) => r.key));
      if (stored.newUsage + stored.newTimeline > 0 || final) {
        deps.logger.debug(
          {
            sessionId: session.id,
            chronicleId: stored.chronicleId,
            newUsage: stored.newUsage,
            newTimeline: stored.newTimeline,
          },
          'reports stored',
        );
      }
    }

    for (const report of activity) {
      try {
        await deps.reportActivity(principal, { id: session.id, state: report.state, metadata: report.metadata });
        accepted.push(report.key);
      } catch (error) {
        // Invalid metadata can never be applied: accept it so the broker stops resending it.
        if (isDomainError(error) && error.code === 'VALIDATION_FAILED') {
          deps.logger.warn({ sessionId: session.id, key: report.key, error: error.message }, 'activity report refused');
          accepted.push(report.key);
          continue;
        }
        deps.logger.warn(
          { sessionId: session.id, key: report.key, error: (error as Error).message },
          'activity report not applied; the broker will resend it',
        );
      }
    }
    return { accepted: [...new Set(accepted)] };
  };
