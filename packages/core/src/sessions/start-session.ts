import type { Principal } from '@volundr/contracts/principal';
import { type Session, ZSessionIdInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { type BeginStartDeps, beginStart } from './begin-start';
import { enforceRunningQuota } from './enforce-quota';
import type { Quotas } from './ports/quotas';
import { retryOnConflict } from './retry-on-conflict';
import { loadSessionFor } from './session-access';
import { toSessionView } from './session-view';
import { assertTransition } from './state-machine';
import { validateInput } from './validate-input';

export interface StartSessionDeps extends BeginStartDeps {
  authorization: Authorization;
  quotas: Quotas;
}

/** Starts (or restarts) a created, stopped or failed session with its stored launch context. */
export const startSession =
  (deps: StartSessionDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZSessionIdInput>): Promise<Session> => {
    const input = validateInput(ZSessionIdInput, rawInput, 'session id');
    return retryOnConflict(async () => {
      const session = await loadSessionFor(deps, principal, input.id, 'start');
      assertTransition(session, 'starting');
      await enforceRunningQuota(deps, session.tenantId);
      return toSessionView(await beginStart(deps, session));
    });
  };
