import type { Tenant } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import {
  type AdministrationDeps,
  authorize,
  membershipsInReach,
  type Reach,
  reachOf,
  tenantNotFound,
  userNotFound,
  userResource,
} from './administration-scope';

/**
 * Before a membership change: the tenant is in the principal's reach (else TENANT_NOT_FOUND);
 * the user is a member of some tenant of the reach (else USER_NOT_FOUND: an administrator adds
 * people their tenants already know, e.g. a member of the parent to a sub-tenant, and cannot
 * probe other tenants' users); and the port allows `update` on the user.
 */
export async function authorizeMembershipChange(
  deps: Pick<AdministrationDeps, 'tenants' | 'users' | 'authorization'>,
  principal: Principal,
  tenantId: string,
  userId: string,
): Promise<{ reach: Reach; tenant: Tenant }> {
  const reach = await reachOf(deps.tenants, principal);
  const tenant = tenantId === reach?.home.id ? reach.home : await deps.tenants.byId(tenantId);
  if (!reach || !tenant || !reach.covers(tenant)) throw tenantNotFound(tenantId);
  const user = await deps.users.byId(userId);
  if (!user) throw userNotFound(userId);
  const known = await membershipsInReach(deps.tenants, reach, await deps.tenants.membershipsOf(userId));
  if (known.length === 0) throw userNotFound(userId);
  await authorize(
    deps.authorization,
    principal,
    'update',
    { ...userResource(principal, user), attributes: { status: user.status, memberOf: tenant.id } },
    `the membership of ${userId} in tenant ${tenant.path}`,
  );
  return { reach, tenant };
}
