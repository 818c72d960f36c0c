import type { FinalReport, TimelineReport, UsageReport } from '@volundr/contracts/reports';
import type { SessionFacts } from './session-lookup';

export interface ReportsToStore {
  usage: readonly UsageReport[];
  timeline: readonly TimelineReport[];
  /** At most one: the last final report of the batch. */
  final: FinalReport | null;
}

export interface StoreOptions {
  /** Id for the session's chronicle if this batch creates it. */
  newChronicleId: string;
  at: Date;
  /** Complete the chronicle if a final report is stored (the session has already ended). */
  completeOnFinal: boolean;
  /** Reopen a complete chronicle when new events arrive (the session runs again). */
  reopenOnNewEvents: boolean;
}

export interface StoredReports {
  chronicleId: string;
  /** Rows that were new (the rest had been stored before under the same keys). */
  newUsage: number;
  newTimeline: number;
}

/**
 * Stores one batch in one transaction: the session's chronicle is created (draft) if needed;
 * usage and timeline rows are inserted once per (session, key) — a key seen before changes
 * nothing; the session's and chronicle's counters and the file summary grow only by new rows;
 * a final report enriches the chronicle.
 */
export interface ReportStore {
  store(session: SessionFacts, reports: ReportsToStore, options: StoreOptions): Promise<StoredReports>;
}
