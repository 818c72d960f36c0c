import type { SessionState } from '@volundr/contracts/sessions';

/** A session in one of these has ended: its chronicle can be completed. */
export const ENDED_SESSION_STATES: readonly SessionState[] = ['stopped', 'failed', 'archived'];

export const sessionHasEnded = (state: SessionState | null): boolean =>
  state === null || ENDED_SESSION_STATES.includes(state);

export type CompletionDecision =
  | { complete: false; reason: 'not_draft' | 'session_active' | 'awaiting_report' }
  | { complete: true; partial: boolean; fromTimeline: boolean };

export interface CompletionFacts {
  status: 'draft' | 'complete';
  /** What the final report said about itself (true: assembled without the CLI's summary). */
  partial: boolean;
  reportReceivedAt: Date | null;
  updatedAt: Date;
  /** Null when the session row is gone. */
  sessionState: SessionState | null;
  sessionStoppedAt: Date | null;
}

/**
 * When a draft becomes complete: once its session has ended and the final report is in; or,
 * without a report, once `graceMs` has passed since the session stopped (the broker may still
 * be flushing its outbox) — then it is marked partial and built from the timeline alone.
 * A session whose row is gone counts as stopped when the chronicle was last updated.
 */
export function completionDecision(facts: CompletionFacts, now: Date, graceMs: number): CompletionDecision {
  if (facts.status !== 'draft') return { complete: false, reason: 'not_draft' };
  if (!sessionHasEnded(facts.sessionState)) return { complete: false, reason: 'session_active' };
  if (facts.reportReceivedAt) return { complete: true, partial: facts.partial, fromTimeline: false };
  const endedAt = facts.sessionStoppedAt ?? facts.updatedAt;
  if (now.getTime() - endedAt.getTime() < graceMs) return { complete: false, reason: 'awaiting_report' };
  return { complete: true, partial: true, fromTimeline: true };
}
