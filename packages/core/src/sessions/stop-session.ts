import type { Principal } from '@volundr/contracts/principal';
import { type Session, ZSessionIdInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import type { Clock } from '../shared/ports/clock';
import type { Sessions } from './ports/sessions';
import { stateChanged } from './record-event';
import { retryOnConflict } from './retry-on-conflict';
import { loadSessionFor } from './session-access';
import { toSessionView } from './session-view';
import { transition } from './state-machine';

import { validateInput } from './validate-input';

export interface StopSessionDeps {
  sessions: Sessions;
  authorization: Authorization;
  clock: Clock;
  notifyWork?: () => void;
}

/**
 * Asks a starting, provisioning or running session to stop (the reconciler stops its pods
 * and runs the cleanups). Stopping a session that is already stopping changes nothing, so
 * two concurrent stops make one transition.
 */
export const stopSession =
  (deps: StopSessionDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZSessionIdInput>): Promise<Session> => {
    const input = validateInput(ZSessionIdInput, rawInput, 'session id');
    return retryOnConflict(async () => {
      const session = await loadSessionFor(deps, principal, input.id, 'stop');
      if (session.state === 'stopping') return toSessionView(session);
      const patch = transition(session, 'stopping', { now: deps.clock.now() });
      const updated = await deps.sessions.update(session.id, session.version, patch, [
        stateChanged(session.state, patch),
      ]);
      deps.notifyWork?.();
      return toSessionView(updated);
    });
  };
