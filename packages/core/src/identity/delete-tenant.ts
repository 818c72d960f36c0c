import { type DeleteTenantOutput, ZTenantIdInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { DomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import { type AdministrationDeps, loadTenantFor, tenantNotFound } from './administration-scope';
import type { TenantContents } from './ports/tenants';

const WORDS: Record<keyof TenantContents, [string, string]> = {
  members: ['member', 'members'],
  sessions: ['session', 'sessions'],
  chronicles: ['chronicle', 'chronicles'],
  workspaces: ['workspace', 'workspaces'],
  children: ['sub-tenant', 'sub-tenants'],
};

const describeContents = (contents: TenantContents) =>
  (Object.keys(WORDS) as (keyof TenantContents)[])
    .filter((key) => contents[key] > 0)
    .map((key) => `${contents[key]} ${WORDS[key][contents[key] === 1 ? 0 : 1]}`)
    .join(', ');

/**
 * Deletes a tenant below the principal's own, only when it holds nothing: no members, no
 * sessions (nor the chronicles and workspaces sessions leave), no sub-tenants. Otherwise
 * `TENANT_NOT_EMPTY` says what is left. The principal's own tenant cannot be deleted.
 */
export const deleteTenant =
  (deps: Pick<AdministrationDeps, 'tenants' | 'authorization' | 'clock'>) =>
  async (principal: Principal, rawInput: z.input<typeof ZTenantIdInput>): Promise<DeleteTenantOutput> => {
    const input = validateInput(ZTenantIdInput, rawInput, 'tenant id');
    const { tenant } = await loadTenantFor(deps, principal, input.id, 'delete');
    if (tenant.id === principal.tenantId) {
      throw new DomainError('BAD_REQUEST', `Tenant ${tenant.path} is your own tenant; you cannot delete it.`, {
        tenantId: tenant.id,
      });
    }
    const outcome = await deps.tenants.deleteIfEmpty(tenant.id, { actorId: principal.userId, at: deps.clock.now() });
    if (!outcome) throw tenantNotFound(tenant.id);
    if (!outcome.deleted) {
      throw new DomainError(
        'TENANT_NOT_EMPTY',
        `Tenant ${tenant.path} still has ${describeContents(outcome.contents)}; remove them before deleting it.`,
        { tenantId: tenant.id, ...outcome.contents },
      );
    }
    return { id: tenant.id, deleted: true };
  };
