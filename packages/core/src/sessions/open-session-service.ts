import type { Principal } from '@volundr/contracts/principal';
import { ZOpenSessionServiceInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import type { Sessions } from './ports/sessions';
import { loadSessionFor } from './session-access';
import { validateInput } from './validate-input';

export interface OpenSessionServiceDeps {
  sessions: Sessions;
  authorization: Authorization;
}

/**
 * A gateway asks before it opens a session's chat, terminal or IDE (the right to work in it:
 * `chat`) or its read-only API (`read`) for someone other than the session's owner, so the
 * decision is made, and audited, where the audit log is. The resource carries the service
 * (`attributes.service`): a policy may treat a terminal differently from a chat.
 */
export const openSessionService =
  (deps: OpenSessionServiceDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZOpenSessionServiceInput>) => {
    const input = validateInput(ZOpenSessionServiceInput, rawInput, 'service request');
    const action = input.service === 'api' ? 'read' : 'chat';
    const session = await loadSessionFor(deps, principal, input.id, action, { service: input.service });
    return { sessionId: session.id, service: input.service };
  };
