import type { Principal } from '@volundr/contracts/principal';
import type { Action, Authorization, Resource, ResourceKind } from '@volundr/core/authz/ports/authorization';
import { allActions, allResourceKinds, ownerActions } from '../role-rules';

/**
 * The authorization rules written out as expected decisions, case by case. The built-in
 * adapter is tested against it, and the Cerbos adapter (real PDP, shipped policies) must give
 * the same answers. Written by hand on purpose: it is the specification, not derived from code.
 */

export const tenant = 't-acme';
export const otherTenant = 't-globex';

const person = (userId: string, tenantId: string, roles: Principal['roles']): Principal => ({
  userId,
  email: `${userId}@example.test`,
  name: userId,
  tenantId,
  roles,
});

export const principals = {
  /** owns every owned resource in the table */
  owner: person('alice', tenant, ['volundr:developer']),
  developer: person('bob', tenant, ['volundr:developer']),
  viewer: person('carol', tenant, ['volundr:viewer']),
  admin: person('dave', tenant, ['volundr:admin']),
  otherTenantAdmin: person('erin', otherTenant, ['volundr:admin']),
  otherTenantUser: person('frank', otherTenant, ['volundr:developer']),
  noRole: person('gina', tenant, []),
} as const satisfies Record<string, Principal>;
export type PrincipalName = keyof typeof principals;
export const principalNames = Object.keys(principals) as PrincipalName[];

export type Shape = 'instance' | 'collection';

/** An existing resource of the kind (owned by alice where the kind has owners), or the collection. */
export function resourceFor(kind: ResourceKind, shape: Shape): Resource {
  if (shape === 'collection') return { kind, tenantId: tenant };
  switch (kind) {
    case 'tenant':
      return { kind, id: tenant, tenantId: tenant };
    case 'user':
      return { kind, id: 'alice', ownerId: 'alice', tenantId: tenant };
    case 'audit':
      return { kind, id: 'audit-1', tenantId: tenant };
    default:
      return { kind, id: `${kind}-1`, ownerId: 'alice', tenantId: tenant };
  }
}

type Allowed = readonly Action[];
type KindTable = Partial<Record<PrincipalName, Allowed>>;
const all = allActions;
const readOnly = ['read', 'list'] as const;

const workInstance: KindTable = {
  owner: [...ownerActions, 'create'],
  viewer: readOnly,
  admin: all,
};
const workCollection: KindTable = {
  owner: ['create'],
  developer: ['create'],
  viewer: readOnly,
  admin: all,
};

/** Allowed actions; a principal not listed may do nothing. */
export const expected: Record<ResourceKind, Record<Shape, KindTable>> = {
  session: { instance: workInstance, collection: workCollection },
  chronicle: { instance: workInstance, collection: workCollection },
  preset: { instance: workInstance, collection: workCollection },
  tenant: {
    instance: { owner: ['read'], developer: ['read'], viewer: ['read'], admin: all },
    collection: { owner: ['read'], developer: ['read'], viewer: ['read'], admin: all },
  },
  user: {
    instance: { owner: readOnly, admin: all },
    collection: { admin: all },
  },
  personal_access_token: {
    instance: { owner: ['read', 'list', 'delete', 'create'] },
    collection: { owner: ['create'], developer: ['create'], admin: ['create'] },
  },
  credential: {
    instance: { owner: ['read', 'list', 'update', 'delete', 'create'], admin: all },
    collection: { owner: ['create'], developer: ['create'], admin: all },
  },
  audit: {
    instance: { admin: readOnly },
    collection: { admin: readOnly },
  },
};

export type Scope = 'all' | 'own' | 'none';
const workScope: Partial<Record<PrincipalName, Scope>> = {
  owner: 'own',
  developer: 'own',
  viewer: 'all',
  admin: 'all',
};

/** listScope in `tenant` (t-acme); a principal not listed, or of another tenant, gets `none`. */
export const expectedListScope: Record<ResourceKind, Partial<Record<PrincipalName, Scope>>> = {
  session: workScope,
  chronicle: workScope,
  preset: workScope,
  tenant: { admin: 'all' },
  user: { owner: 'own', developer: 'own', viewer: 'own', admin: 'all' },
  personal_access_token: { owner: 'own', developer: 'own', viewer: 'own', admin: 'own' },
  credential: { owner: 'own', developer: 'own', admin: 'all' },
  audit: { admin: 'all' },
};

export interface Case {
  principal: PrincipalName;
  kind: ResourceKind;
  shape: Shape;
  action: Action;
  allowed: boolean;
}

/** Every principal × kind × shape × action with its expected decision. */
export function allCases(): Case[] {
  const cases: Case[] = [];
  for (const kind of allResourceKinds) {
    for (const shape of ['instance', 'collection'] as const) {
      for (const principal of principalNames) {
        const allowed = new Set<Action>(expected[kind][shape][principal] ?? []);
        for (const action of allActions) cases.push({ principal, kind, shape, action, allowed: allowed.has(action) });
      }
    }
  }
  return cases;
}

/** The actions `authz` allows `principal` on the table's resource, in `allActions` order. */
export async function allowedActions(
  authz: Authorization,
  principal: Principal,
  kind: ResourceKind,
  shape: Shape,
): Promise<Action[]> {
  const resource = resourceFor(kind, shape);
  const decisions = await Promise.all(allActions.map((action) => authz.check(principal, action, resource)));
  return allActions.filter((_, i) => decisions[i]!.allowed);
}
