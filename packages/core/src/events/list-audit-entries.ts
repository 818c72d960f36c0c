import { type AuditPage, ZListAuditInput } from '@volundr/contracts/events';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { DomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import type { AuditLog } from './ports/audit-log';

export interface ListAuditEntriesDeps {
  audit: AuditLog;
  authorization: Authorization;
}

/**
 * The audit entries of the principal's tenant, newest first, for those allowed to list audit
 * entries tenant-wide (tenant admins under the shipped policies). Nobody sees another tenant's.
 */
export const listAuditEntries =
  (deps: ListAuditEntriesDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZListAuditInput>): Promise<AuditPage> => {
    const input = validateInput(ZListAuditInput, rawInput, 'audit query');
    const scope = await deps.authorization.listScope(principal, 'audit', principal.tenantId);
    if (scope !== 'all') throw new DomainError('FORBIDDEN', 'Only tenant administrators may read the audit log');
    const items = await deps.audit.list({
      tenantId: principal.tenantId,
      ...(input.action ? { action: input.action } : {}),
      ...(input.actorId ? { actorId: input.actorId } : {}),
      ...(input.resourceOwnerId ? { resourceOwnerId: input.resourceOwnerId } : {}),
      ...(input.resourceId ? { resourceId: input.resourceId } : {}),
      ...(input.since ? { since: new Date(input.since) } : {}),
      ...(input.until ? { until: new Date(input.until) } : {}),
      ...(input.cursor ? { beforeId: input.cursor } : {}),
      limit: input.limit + 1,
    });
    const page = items.slice(0, input.limit);
    return { items: page, nextCursor: items.length > input.limit ? (page.at(-1)?.id ?? null) : null };
  };
