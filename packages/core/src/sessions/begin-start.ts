import type { Clock } from '../shared/ports/clock';
import type { Sessions } from './ports/sessions';
import { stateChanged } from './record-event';
import type { SessionPatch, SessionRecord } from './session-record';
import { transition } from './state-machine';

export interface BeginStartDeps {
  sessions: Sessions;
  clock: Clock;
  /** Wakes the reconciler at once (it also polls, so this only saves latency). */
  notifyWork?: () => void;
}

/** The fields that move `session` to `starting` with a new attempt number. */
export function startPatch(session: SessionRecord, now: Date): SessionPatch {
  return {
    ...transition(session, 'starting', { now }),
    runtime: {
      attempt: session.runtime.attempt + 1,
      attemptId: null,
      submittedAt: null,
      handle: null,
      readyContainers: [],
      afterStop: null,
    },
  };
}

/**
 * Moves a session to `starting` with a new attempt number (and its `state_changed` event, in
 * the same write); the reconciler does the rest. Throws CONCURRENT_MODIFICATION if the session
 * changed since it was read.
 */
export async function beginStart(deps: BeginStartDeps, session: SessionRecord): Promise<SessionRecord> {
  const patch = startPatch(session, deps.clock.now());
  const updated = await deps.sessions.update(session.id, session.version, patch, [stateChanged(session.state, patch)]);
  deps.notifyWork?.();
  return updated;
}
