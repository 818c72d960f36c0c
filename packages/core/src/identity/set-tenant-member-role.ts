import { type Membership, ZSetTenantMemberRoleInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { DomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import type { AdministrationDeps } from './administration-scope';
import { authorizeMembershipChange } from './membership-access';

/**
 * Changes a member's role. A tenant always keeps an administrator: demoting its last one is
 * `TENANT_LAST_ADMIN` (checked and applied under a per-tenant lock by the repository). Audited,
 * naming the principal.
 */
export const setTenantMemberRole =
  (deps: Pick<AdministrationDeps, 'tenants' | 'users' | 'authorization' | 'clock'>) =>
  async (principal: Principal, rawInput: z.input<typeof ZSetTenantMemberRoleInput>): Promise<Membership> => {
    const input = validateInput(ZSetTenantMemberRoleInput, rawInput, 'role change');
    const { tenant } = await authorizeMembershipChange(deps, principal, input.tenantId, input.userId);
    const change = await deps.tenants.changeRole({
      userId: input.userId,
      tenantId: tenant.id,
      role: input.role,
      at: deps.clock.now(),
      actorId: principal.userId,
    });
    if (!change) throw notAMember(input.userId, tenant.path, tenant.id);
    return change.after;
  };

export const notAMember = (userId: string, path: string, tenantId: string) =>
  new DomainError('MEMBERSHIP_NOT_FOUND', `${userId} is not a member of tenant ${path}.`, { userId, tenantId });
