import type { Clock } from '../shared/ports/clock';
import type { SessionEvents } from './ports/session-events';
import type { Sessions } from './ports/sessions';
import { recordEvent, stateChanged } from './record-event';
import type { SessionRecord } from './session-record';
import { transition } from './state-machine';

export interface BeginStartDeps {
  sessions: Sessions;
  events: SessionEvents;
  clock: Clock;
  /** Wakes the reconciler at once (it also polls, so this only saves latency). */
  notifyWork?: () => void;
}

/**
 * Moves a session to `starting` with a new attempt number; the reconciler does the rest.
 * Throws CONCURRENT_MODIFICATION if the session changed since it was read.
 */
export async function beginStart(deps: BeginStartDeps, session: SessionRecord): Promise<SessionRecord> {
  const now = deps.clock.now();
  const updated = await deps.sessions.update(session.id, session.version, {
    ...transition(session, 'starting', { now }),
    runtime: {
      attempt: session.runtime.attempt + 1,
      attemptId: null,
      submittedAt: null,
      handle: null,
      readyContainers: [],
      afterStop: null,
    },
  });
  await recordEvent(deps.events, updated, stateChanged(session.state, updated), now);
  deps.notifyWork?.();
  return updated;
}
