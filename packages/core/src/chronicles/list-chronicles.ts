import { type ChroniclePage, ZListChroniclesInput } from '@volundr/contracts/chronicles';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { decodeSessionCursor, encodeSessionCursor } from '../sessions/session-cursor';
import { validateInput } from '../sessions/validate-input';
import { toChronicleView } from './chronicle-record';
import type { ChronicleListQuery, Chronicles } from './ports/chronicles';

export interface ListChroniclesDeps {
  chronicles: Chronicles;
  authorization: Authorization;
}

/**
 * A page of the chronicles the principal may see, newest first, filtered by repository,
 * model, tags and status. The list scope (all in the tenant, own, none) is part of the query.
 */
export const listChronicles =
  (deps: ListChroniclesDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZListChroniclesInput> = {}): Promise<ChroniclePage> => {
    const input = validateInput(ZListChroniclesInput, rawInput, 'chronicle list request');
    const after = input.cursor ? decodeSessionCursor(input.cursor) : undefined;
    const scope = await deps.authorization.listScope(principal, 'chronicle', principal.tenantId);
    if (scope === 'none') return { items: [], nextCursor: null };
    if (scope === 'own' && input.ownerId !== undefined && input.ownerId !== principal.userId)
      return { items: [], nextCursor: null };
    const query: ChronicleListQuery = { tenantId: principal.tenantId, limit: input.limit };
    const ownerId = scope === 'own' ? principal.userId : input.ownerId;
    if (ownerId !== undefined) query.ownerId = ownerId;
    if (input.repo) query.repo = input.repo;
    if (input.model) query.model = input.model;
    if (input.tags) query.tags = input.tags;
    if (input.status) query.status = input.status;
    if (after) query.after = after;
    const rows = await deps.chronicles.list(query);
    const items = rows.slice(0, input.limit);
    const last = items.at(-1);
    return {
      items: items.map(toChronicleView),
      nextCursor:
        rows.length > input.limit && last ? encodeSessionCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  };
