import type { Principal } from '@volundr/contracts/principal';
import { type Session, ZSessionIdInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import type { Sessions } from './ports/sessions';
import { loadSessionFor } from './session-access';
import { toSessionView } from './session-view';
import { validateInput } from './validate-input';

export interface SessionByIdDeps {
  sessions: Sessions;
  authorization: Authorization;
}

export const sessionById =
  (deps: SessionByIdDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZSessionIdInput>): Promise<Session> => {
    const input = validateInput(ZSessionIdInput, rawInput, 'session id');
    return toSessionView(await loadSessionFor(deps, principal, input.id, 'read'));
  };
