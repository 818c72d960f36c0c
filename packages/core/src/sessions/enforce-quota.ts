import { DomainError } from '../errors';
import type { Quotas } from './ports/quotas';
import type { Sessions } from './ports/sessions';

/**
 * Refuses a start that would take the tenant past `maxRunningSessions`. The count and the
 * start are not one transaction: two starts racing for the last slot may both pass.
 */
export async function enforceRunningQuota(deps: { sessions: Sessions; quotas: Quotas }, tenantId: string) {
  const { maxRunningSessions } = await deps.quotas.forTenant(tenantId);
  if (maxRunningSessions === null) return;
  const running = await deps.sessions.countRunningForTenant(tenantId);
  if (running >= maxRunningSessions) {
    throw new DomainError(
      'QUOTA_EXCEEDED',
      `Your team already has ${running} of ${maxRunningSessions} sessions running; stop one before starting another`,
      { limit: maxRunningSessions, running },
    );
  }
}
