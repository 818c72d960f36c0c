import { type Tenant, ZUpdateTenantInput } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import { validateInput } from '../sessions/validate-input';
import { type AdministrationDeps, loadTenantFor, tenantNotFound } from './administration-scope';
import type { TenantPatch } from './ports/tenants';

/** Changes a tenant's name, tier or quotas; fields left out stay. Its path never changes. */
export const updateTenant =
  (deps: Pick<AdministrationDeps, 'tenants' | 'authorization' | 'clock'>) =>
  async (principal: Principal, rawInput: z.input<typeof ZUpdateTenantInput>): Promise<Tenant> => {
    const input = validateInput(ZUpdateTenantInput, rawInput, 'tenant update');
    await loadTenantFor(deps, principal, input.id, 'update');
    const patch: TenantPatch = {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.tier === undefined ? {} : { tier: input.tier }),
      ...(input.maxRunningSessions === undefined ? {} : { maxRunningSessions: input.maxRunningSessions }),
      ...(input.maxStorageGb === undefined ? {} : { maxStorageGb: input.maxStorageGb }),
    };
    const updated = await deps.tenants.update(input.id, patch, { actorId: principal.userId, at: deps.clock.now() });
    if (!updated) throw tenantNotFound(input.id);
    return updated;
  };
