import type { SessionState } from '@volundr/contracts/sessions';
import { DomainError } from '../errors';
import type { SessionPatch, SessionRecord } from './session-record';

/**
 * The session lifecycle. Every state change in the code goes through `transition`, so this
 * table is the whole truth about which moves exist.
 *
 *   created ─start─▶ starting ─▶ provisioning ─▶ running
 *      │                │  └────────┬───┘           │
 *      │                ▼ (fail)    ▼ stop          ▼ stop
 *      │             failed ◀── stopping ◀──────────┘
 *      │                │          │
 *      │                │          ▼
 *      └─archive─▶ archived ◀─ stopped (restore: archived → stopped)
 */
export const SESSION_TRANSITIONS: Readonly<Record<SessionState, readonly SessionState[]>> = {
  created: ['starting', 'archived'],
  starting: ['provisioning', 'failed', 'stopping'],
  provisioning: ['running', 'failed', 'stopping'],
  running: ['stopping'],
  stopping: ['stopped', 'failed'],
  stopped: ['starting', 'archived'],
  failed: ['starting', 'archived'],
  archived: ['stopped'],
};

export const canTransition = (from: SessionState, to: SessionState): boolean => SESSION_TRANSITIONS[from].includes(to);

const verbs: Partial<Record<SessionState, string>> = {
  starting: 'start',
  stopping: 'stop',
  archived: 'archive',
  stopped: 'restore',
};

export function assertTransition(session: Pick<SessionRecord, 'id' | 'name' | 'state'>, to: SessionState): void {
  if (canTransition(session.state, to)) return;
  const allowed = SESSION_TRANSITIONS[session.state];
  const verb = verbs[to];
  throw new DomainError(
    'SESSION_INVALID_TRANSITION',
    `Session "${session.name}" (${session.id}) is ${session.state} and cannot go to ${to}` +
      `${verb ? ` (${verb})` : ''}; from ${session.state} it can go to: ${allowed.join(', ') || 'nothing'}.`,
    { sessionId: session.id, from: session.state, to },
  );
}

export interface TransitionOptions {
  now: Date;
  /** Why; required for `failed` and written for the person who will read it. */
  reason?: string | null;
}

/**
 * The fields to write for moving `session` to `to`: the state, its reason and the timestamps
 * that belong to it. Throws `SESSION_INVALID_TRANSITION` for a move the table does not allow.
 */
export function transition(
  session: Pick<SessionRecord, 'id' | 'name' | 'state'>,
  to: SessionState,
  options: TransitionOptions,
): SessionPatch {
  assertTransition(session, to);
  const reason = options.reason?.trim() || null;
  if (to === 'failed' && !reason) {
    // A failure without a reason leaves the user with nothing to act on: a programming error.
    throw new DomainError('INTERNAL', `Session ${session.id} was failed without a reason`);
  }
  const { now } = options;
  const patch: SessionPatch = { state: to, stateReason: reason, updatedAt: now };
  switch (to) {
    case 'starting':
      patch.provisioningStartedAt = null;
      patch.runningSince = null;
      patch.stoppedAt = null;
      break;
    case 'provisioning':
      patch.provisioningStartedAt = now;
      break;
    case 'running':
      patch.runningSince = now;
      break;
    case 'stopped':
      if (session.state === 'archived') {
        patch.archivedAt = null; // restore: the session stopped long ago, keep its stoppedAt
      } else {
        patch.stoppedAt = now;
        patch.endpoints = null;
      }
      break;
    case 'failed':
      patch.stoppedAt = now;
      break;
    case 'archived':
      patch.archivedAt = now;
      patch.endpoints = null;
      break;
  }
  return patch;
}
