import type { ChronicleStatus } from '@volundr/contracts/chronicles';
import type { SessionState } from '@volundr/contracts/sessions';
import type { ChronicleRecord } from '../chronicle-record';
import type { SessionFacts } from './session-lookup';

export interface ChronicleListQuery {
  tenantId: string;
  /** Only this owner's (set from the principal when its list scope is `own`). */
  ownerId?: string;
  /** Matches `repo` or `project`. */
  repo?: string;
  model?: string;
  /** Chronicles carrying all of these. */
  tags?: readonly string[];
  status?: ChronicleStatus;
  /** After this position (lists are created_at desc, id desc). */
  after?: { createdAt: Date; id: string };
  limit: number;
}

export interface ChroniclePatch {
  summary?: string | null;
  unfinishedWork?: string | null;
  tags?: string[];
}

/** A draft whose session has ended (or is gone): the completion job decides about it. */
export interface CompletionCandidate {
  chronicle: ChronicleRecord;
  /** Null when the session row is gone. */
  sessionState: SessionState | null;
  sessionStoppedAt: Date | null;
}

export interface ChronicleCompletion {
  at: Date;
  partial: boolean;
  /** Written only when given (a partial chronicle's summary built from the timeline). */
  summary?: string;
  keyChanges?: string[];
  durationSeconds?: number | null;
  /** Complete only if no final report has arrived meanwhile (a partial completion). */
  onlyWithoutReport: boolean;
}

export interface PurgeCounts {
  chronicles: number;
  tokenUsage: number;
}

/** The chronicles repository (`chronicles` and what hangs off it). */
export interface Chronicles {
  byId(id: string): Promise<ChronicleRecord | null>;
  bySession(sessionId: string): Promise<ChronicleRecord | null>;
  /**
   * The session's chronicle, created as a draft (with `id`) if it has none yet: seeded with the
   * session's repository, branch, model, template and parent chronicle. Safe when raced.
   */
  ensureForSession(session: SessionFacts, id: string, at: Date): Promise<ChronicleRecord>;
  /** Newest first (created_at desc, id desc); `limit + 1` rows tell whether there is more. */
  list(query: ChronicleListQuery): Promise<ChronicleRecord[]>;
  /** Null when there is no such chronicle. */
  update(id: string, patch: ChroniclePatch, at: Date): Promise<ChronicleRecord | null>;
  /** Deletes the chronicle with its timeline (children keep existing, unlinked). */
  delete(id: string): Promise<boolean>;
  /**
   * The chronicle's ancestors (oldest first), itself, then its descendants (by depth, then
   * creation), following `parent_chronicle_id` at most `maxDepth` steps each way.
   */
  chain(id: string, maxDepth: number): Promise<ChronicleRecord[]>;
  /**
   * Drafts whose session is stopped, failed, archived or deleted and that either have their
   * final report or ended at least `graceMs` before `now`; oldest update first. The caller
   * re-checks each with `completionDecision`.
   */
  dueForCompletion(now: Date, graceMs: number, limit: number): Promise<CompletionCandidate[]>;
  /** Moves a draft to `complete`; null when it is no longer a draft (or got its report meanwhile). */
  complete(id: string, completion: ChronicleCompletion): Promise<ChronicleRecord | null>;
  /**
   * Retention: deletes chronicles not updated since `cutoff` (with their timelines) and usage
   * rows older than `cutoff` of sessions that no longer have a chronicle, in batches.
   */
  purge(cutoff: Date, batchSize: number): Promise<PurgeCounts>;
  /** Deletes the session's chronicle and timeline; how many chronicles were deleted. */
  deleteForSession(sessionId: string): Promise<number>;
}
