import type { Membership, Tenant, User } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { Action, Authorization, Resource } from '../authz/ports/authorization';
import { DomainError } from '../errors';
import type { Clock } from '../shared/ports/clock';
import type { Tenants } from './ports/tenants';
import type { Users } from './ports/users';

/**
 * What tenant and user administration reach, and how it asks the Authorization port.
 *
 * An administrator's reach is their own tenant (the principal's `tenantId`) and every tenant
 * below it in the tree (its path is a prefix of theirs). Anything outside the reach is reported
 * as missing (`TENANT_NOT_FOUND`, `USER_NOT_FOUND`): another tenant's administrator learns
 * nothing of it. Inside the reach every action is asked of the port; a refusal is `FORBIDDEN`.
 *
 * Resources are placed in the principal's tenant (`tenantId: principal.tenantId`): a tenant of
 * the reach, and a user who is a member of one, are managed *from* the administering tenant,
 * so the policy's tenant-admin rule decides. That does not make the principal an admin *in*
 * a sub-tenant: sessions and other resources there keep their own tenant and stay out of reach.
 */

export interface AdministrationDeps {
  tenants: Tenants;
  users: Users;
  authorization: Authorization;
  clock: Clock;
}

/** The administering tenant and what is below it. */
export interface Reach {
  home: Tenant;
  /** True when `tenant` is the home tenant or one below it. */
  covers(tenant: Pick<Tenant, 'path'>): boolean;
}

export const tenantNotFound = (id: string) =>
  new DomainError('TENANT_NOT_FOUND', `There is no tenant ${id} that you administer.`, { tenantId: id });

export const userNotFound = (id: string) =>
  new DomainError('USER_NOT_FOUND', `There is no user ${id} in the tenants you administer.`, { userId: id });

export async function reachOf(tenants: Tenants, principal: Principal): Promise<Reach | null> {
  const home = await tenants.byId(principal.tenantId);
  if (!home) return null;
  return { home, covers: (tenant) => tenant.path.startsWith(home.path) };
}

/** A tenant of the reach as a resource (see the module comment for why it lives in the principal's tenant). */
export const tenantResource = (principal: Principal, tenant: Tenant): Resource => ({
  kind: 'tenant',
  id: tenant.id,
  tenantId: principal.tenantId,
  attributes: { path: tenant.path, parentId: tenant.parentId },
});

/** A user reached through a membership, as a resource: owned by themself, managed from the principal's tenant. */
export const userResource = (principal: Principal, user: Pick<User, 'id' | 'status'>): Resource => ({
  kind: 'user',
  id: user.id,
  ownerId: user.id,
  tenantId: principal.tenantId,
  attributes: { status: user.status },
});

/** Asks the port; a refusal is FORBIDDEN naming what was refused. */
export async function authorize(
  authorization: Authorization,
  principal: Principal,
  action: Action,
  resource: Resource,
  what: string,
): Promise<void> {
  const decision = await authorization.check(principal, action, resource);
  if (decision.allowed) return;
  throw new DomainError('FORBIDDEN', `You may not ${action} ${what}: that takes a tenant administrator.`, {
    action,
    kind: resource.kind,
  });
}

/** A tenant of the principal's reach (else TENANT_NOT_FOUND), after the port allowed `action` on it. */
export async function loadTenantFor(
  deps: Pick<AdministrationDeps, 'tenants' | 'authorization'>,
  principal: Principal,
  id: string,
  action: Action,
): Promise<{ reach: Reach; tenant: Tenant }> {
  const reach = await reachOf(deps.tenants, principal);
  const tenant = id === reach?.home.id ? reach.home : await deps.tenants.byId(id);
  if (!reach || !tenant || !reach.covers(tenant)) throw tenantNotFound(id);
  await authorize(deps.authorization, principal, action, tenantResource(principal, tenant), `tenant ${tenant.path}`);
  return { reach, tenant };
}

/** The tenants of the reach a user is a member of, and their home tenant (first membership). */
export interface ReachedUser {
  user: User;
  /** Their memberships in tenants of the reach (none of other tenants). */
  memberships: Membership[];
  /** Whether their home tenant (oldest membership) is in the reach: only then may they be managed. */
  homeInReach: boolean;
}

/**
 * A user who is a member of a tenant of the principal's reach (else USER_NOT_FOUND), after the
 * port allowed `action` on them.
 */
export async function loadUserFor(
  deps: Pick<AdministrationDeps, 'tenants' | 'users' | 'authorization'>,
  principal: Principal,
  id: string,
  action: Action,
): Promise<ReachedUser & { reach: Reach }> {
  const reach = await reachOf(deps.tenants, principal);
  const user = reach ? await deps.users.byId(id) : null;
  if (!reach || !user) throw userNotFound(id);
  const all = await deps.tenants.membershipsOf(id);
  const inReach = await membershipsInReach(deps.tenants, reach, all);
  if (inReach.length === 0) throw userNotFound(id);
  await authorize(deps.authorization, principal, action, userResource(principal, user), `user ${id}`);
  return { reach, user, memberships: inReach, homeInReach: inReach[0] === all[0] };
}

/** The memberships (of any users) held in tenants of the reach. */
export async function membershipsInReach(
  tenants: Tenants,
  reach: Reach,
  memberships: readonly Membership[],
): Promise<Membership[]> {
  const covered = new Map<string, boolean>([[reach.home.id, true]]);
  const kept: Membership[] = [];
  for (const m of memberships) {
    let yes = covered.get(m.tenantId);
    if (yes === undefined) {
      const tenant = await tenants.byId(m.tenantId);
      yes = tenant !== null && reach.covers(tenant);
      covered.set(m.tenantId, yes);
    }
    if (yes) kept.push(m);
  }
  return kept;
}

/** Suspending or re-provisioning a user is for the administrators of their home tenant (or above it). */
export function requireHomeInReach(reached: ReachedUser, what: string): void {
  if (reached.homeInReach) return;
  throw new DomainError(
    'FORBIDDEN',
    `You may not ${what} ${reached.user.id}: their account belongs to another tenant, whose administrators manage it.`,
    { userId: reached.user.id },
  );
}
