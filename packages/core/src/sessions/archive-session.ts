import type { Principal } from '@volundr/contracts/principal';
import { type Session, ZSessionIdInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import type { Clock } from '../shared/ports/clock';
import type { Sessions } from './ports/sessions';
import { stateChanged } from './record-event';
import { retryOnConflict } from './retry-on-conflict';
import { loadSessionFor } from './session-access';
import { isActive, type SessionRecord } from './session-record';
import { toSessionView } from './session-view';
import { transition } from './state-machine';
import { validateInput } from './validate-input';

export interface ArchiveSessionDeps {
  sessions: Sessions;
  authorization: Authorization;
  clock: Clock;
  notifyWork?: () => void;
}

/**
 * Archives a created, stopped or failed session. An active session is asked to stop first
 * and is archived by the reconciler once stopped (the result shows it `stopping`).
 */
export const archiveSession =
  (deps: ArchiveSessionDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZSessionIdInput>): Promise<Session> => {
    const input = validateInput(ZSessionIdInput, rawInput, 'session id');
    return retryOnConflict(async () => {
      const session = await loadSessionFor(deps, principal, input.id, 'archive');
      return toSessionView(await archiveLoaded(deps, session));
    });
  };

/** Archives a session already loaded and authorized (shared with archive-stopped). */
export async function archiveLoaded(
  deps: Pick<ArchiveSessionDeps, 'sessions' | 'clock' | 'notifyWork'>,
  session: SessionRecord,
): Promise<SessionRecord> {
  const now = deps.clock.now();
  if (isActive(session.state)) {
    const runtime = { ...session.runtime, afterStop: 'archive' as const };
    if (session.state === 'stopping') {
      return deps.sessions.update(session.id, session.version, { runtime, updatedAt: now });
    }
    const patch = transition(session, 'stopping', { now, reason: 'Stopping before archiving' });
    const updated = await deps.sessions.update(session.id, session.version, { ...patch, runtime }, [
      stateChanged(session.state, patch),
    ]);
    deps.notifyWork?.();
    return updated;
  }
  const patch = transition(session, 'archived', { now });
  return deps.sessions.update(session.id, session.version, patch, [stateChanged(session.state, patch)]);
}
