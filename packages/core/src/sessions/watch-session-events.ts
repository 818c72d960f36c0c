import type { Principal } from '@volundr/contracts/principal';
import { type SessionEvent, ZWatchSessionEventsInput } from '@volundr/contracts/session-events';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import type { SessionEventFilter, SessionEvents } from './ports/session-events';
import type { Sessions } from './ports/sessions';
import { loadSessionFor } from './session-access';
import { validateInput } from './validate-input';

export interface WatchSessionEventsDeps {
  sessions: Sessions;
  events: SessionEvents;
  authorization: Authorization;
}

async function* nothing(): AsyncIterable<SessionEvent> {}

/**
 * The live feed behind `sessions.onState`: one session's events (needs `read` on it) or
 * those of every session the principal may list, resuming after `lastEventId`.
 */
export const watchSessionEvents =
  (deps: WatchSessionEventsDeps) =>
  async (
    principal: Principal,
    rawInput: z.input<typeof ZWatchSessionEventsInput>,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<SessionEvent>> => {
    const input = validateInput(ZWatchSessionEventsInput, rawInput, 'subscription');
    const filter: SessionEventFilter = { tenantId: principal.tenantId };
    if (input.sessionId !== undefined) {
      await loadSessionFor(deps, principal, input.sessionId, 'read');
      filter.sessionId = input.sessionId;
    } else {
      const scope = await deps.authorization.listScope(principal, 'session', principal.tenantId);
      if (scope === 'none') return nothing();
      if (scope === 'own') filter.ownerId = principal.userId;
    }
    return deps.events.subscribe(filter, input.lastEventId, signal);
  };
