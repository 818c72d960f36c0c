import { type Tenant, ZTenantIdInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { validateInput } from '../sessions/validate-input';
import { type AdministrationDeps, loadTenantFor } from './administration-scope';

/**
 * One tenant of the principal's reach, as its administrators see it (quotas, tier). Asks
 * `admin` on it: this is the administration view, not the membership a member reads in `me`.
 */
export const tenantById =
  (deps: Pick<AdministrationDeps, 'tenants' | 'authorization'>) =>
  async (principal: Principal, rawInput: z.input<typeof ZTenantIdInput>): Promise<Tenant> => {
    const input = validateInput(ZTenantIdInput, rawInput, 'tenant id');
    return (await loadTenantFor(deps, principal, input.id, 'admin')).tenant;
  };
