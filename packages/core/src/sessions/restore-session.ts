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

export interface RestoreSessionDeps {
  sessions: Sessions;
  authorization: Authorization;
  clock: Clock;
}

/** Brings an archived session back as `stopped` (it can then be started again). */
export const restoreSession =
  (deps: RestoreSessionDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZSessionIdInput>): Promise<Session> => {
    const input = validateInput(ZSessionIdInput, rawInput, 'session id');
    return retryOnConflict(async () => {
      const session = await loadSessionFor(deps, principal, input.id, 'restore');
      const patch = transition(session, 'stopped', { now: deps.clock.now() });
      const updated = await deps.sessions.update(session.id, session.version, patch, [
        stateChanged(session.state, patch),
      ]);
      return toSessionView(updated);
    });
  };
