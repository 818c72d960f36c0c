import type { Principal } from '@volundr/contracts/principal';
import { type SessionPage, ZListSessionsInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import type { SessionListQuery, Sessions } from './ports/sessions';
import { decodeSessionCursor } from './session-cursor';
import { toSessionView } from './session-view';
import { validateInput } from './validate-input';

export interface ListSessionsDeps {
  sessions: Sessions;
  authorization: Authorization;
}

/**
 * A page of the sessions the principal may see, newest first. The principal's list scope
 * (all in the tenant, own, none) becomes part of the query: nothing is filtered afterwards.
 */
export const listSessions =
  (deps: ListSessionsDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZListSessionsInput> = {}): Promise<SessionPage> => {
    const input = validateInput(ZListSessionsInput, rawInput, 'list request');
    if (input.cursor) decodeSessionCursor(input.cursor);
    const scope = await deps.authorization.listScope(principal, 'session', principal.tenantId);
    if (scope === 'none') return { items: [], nextCursor: null };
    if (scope === 'own' && input.ownerId !== undefined && input.ownerId !== principal.userId)
      return { items: [], nextCursor: null };
    const query: SessionListQuery = {
      tenantId: principal.tenantId,
      includeArchived: input.includeArchived,
      limit: input.limit,
    };
    const ownerId = scope === 'own' ? principal.userId : input.ownerId;
    if (ownerId !== undefined) query.ownerId = ownerId;
    if (input.states) query.states = input.states;
    if (input.cursor) query.cursor = input.cursor;
    const page = await deps.sessions.list(query);
    return { items: page.items.map(toSessionView), nextCursor: page.nextCursor };
  };
