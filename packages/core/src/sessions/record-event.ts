import type { SessionEventBody } from '@volundr/contracts/session-events';
import type { SessionEvents } from './ports/session-events';
import type { SessionRecord } from './session-record';

/** Appends one event about `session` (tenant and owner copied so feeds filter in the query). */
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

/** The `state_changed` event for a transition that was just written. */
export function stateChanged(from: SessionRecord['state'], to: SessionRecord): SessionEventBody {
  return { type: 'state_changed', data: { from, to: to.state, reason: to.stateReason } };
}
