import { ZRemoveTenantMemberInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { validateInput } from '../sessions/validate-input';
import type { AdministrationDeps } from './administration-scope';
import { authorizeMembershipChange } from './membership-access';
import { notAMember } from './set-tenant-member-role';

/**
 * Removes a member from a tenant; never its last administrator while others remain
 * (`TENANT_LAST_ADMIN`; the last member may go, so an emptied tenant can be deleted). The
 * user's record, sessions and other memberships stay. Audited, naming the principal.
 */
export const removeTenantMember =
  (deps: Pick<AdministrationDeps, 'tenants' | 'users' | 'authorization' | 'clock'>) =>
  async (
    principal: Principal,
    rawInput: z.input<typeof ZRemoveTenantMemberInput>,
  ): Promise<{ tenantId: string; userId: string; removed: true }> => {
    const input = validateInput(ZRemoveTenantMemberInput, rawInput, 'member removal');
    const { tenant } = await authorizeMembershipChange(deps, principal, input.tenantId, input.userId);
    const removed = await deps.tenants.removeMember(input.userId, tenant.id, {
      actorId: principal.userId,
      at: deps.clock.now(),
    });
    if (!removed) throw notAMember(input.userId, tenant.path, tenant.id);
    return { tenantId: tenant.id, userId: input.userId, removed: true };
  };
