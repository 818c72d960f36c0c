import type { SessionEventBody } from '@volundr/contracts/session-events';
import type { SessionState } from '@volundr/contracts/sessions';
import { DomainError } from '../errors';
import type { SessionEvents } from './ports/session-events';
import type { SessionPatch, SessionRecord } from './session-record';

/**
 * Appends one event about `session` on its own (tenant and owner copied so feeds filter in the
 * query). Only for events that describe no change of the session's row — today the runtime's
 * `pod_progress` (clone, setup output). An event about a change is given to the `Sessions`
 * write that makes it, so both commit in one transaction.
 */
export function recordEvent(
  events: SessionEvents,
  session: Pick<SessionRecord, 'id' | 'tenantId' | 'ownerId'>,
  body: SessionEventBody,
  now: Date,
): Promise<string> {
  return events.append({
    ...body,
    sessionId: session.id,
    tenantId: session.tenantId,
    ownerId: session.ownerId,
    createdAt: now,
  });
}

/** The `state_changed` event of a transition patch (from `transition`), written with it. */
export function stateChanged(from: SessionState, patch: SessionPatch): SessionEventBody {
  if (patch.state === undefined) throw new DomainError('INTERNAL', 'state_changed for a patch that changes no state');
  return { type: 'state_changed', data: { from, to: patch.state, reason: patch.stateReason ?? null } };
}
