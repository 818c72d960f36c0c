import { type Membership, ZAddTenantMemberInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { validateInput } from '../sessions/validate-input';
import type { AdministrationDeps } from './administration-scope';
import { authorizeMembershipChange } from './membership-access';

/**
 * Makes a user the principal's tenants already know a member of one of them, with a role
 * (`MEMBERSHIP_EXISTS` when they are one already: change the role instead). Audited, naming
 * the principal.
 */
export const addTenantMember =
  (deps: Pick<AdministrationDeps, 'tenants' | 'users' | 'authorization' | 'clock'>) =>
  async (principal: Principal, rawInput: z.input<typeof ZAddTenantMemberInput>): Promise<Membership> => {
    const input = validateInput(ZAddTenantMemberInput, rawInput, 'new member');
    const { tenant } = await authorizeMembershipChange(deps, principal, input.tenantId, input.userId);
    return deps.tenants.addMember({
      userId: input.userId,
      tenantId: tenant.id,
      role: input.role,
      at: deps.clock.now(),
      actorId: principal.userId,
    });
  };
