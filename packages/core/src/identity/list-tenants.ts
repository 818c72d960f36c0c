import type { TenantList } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import { type AdministrationDeps, authorize, reachOf } from './administration-scope';

/**
 * The tenants the principal administers: their own and every tenant below it, by path (a
 * parent comes before its children). Asks `list` on the tenant collection of their tenant.
 */
export const listTenants =
  (deps: Pick<AdministrationDeps, 'tenants' | 'authorization'>) =>
  async (principal: Principal): Promise<TenantList> => {
    await authorize(
      deps.authorization,
      principal,
      'list',
      { kind: 'tenant', tenantId: principal.tenantId },
      'the tenants',
    );
    const reach = await reachOf(deps.tenants, principal);
    if (!reach) return [];
    return [reach.home, ...(await deps.tenants.descendants(reach.home.id))];
  };
