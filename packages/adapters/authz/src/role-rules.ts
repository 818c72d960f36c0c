import type { Principal, Role } from '@volundr/contracts/principal';
import type { Action, Decision, Resource, ResourceKind } from '@volundr/core/authz/ports/authorization';

/**
 * The Volundr authorization rules as data. The built-in adapter evaluates this table directly;
 * `deploy/cerbos/policies/` and `deploy/opa/volundr.rego` express the same table for the
 * Cerbos and OPA adapters, and the Cerbos integration test proves the two agree case by case.
 * docs/authorization.md is the human-readable copy: change all of them together.
 */

export const allActions = [
  'create',
  'read',
  'list',
  'update',
  'delete',
  'start',
  'stop',
  'archive',
  'restore',
  'chat',
  'report_usage',
  'report_activity',
  'report_timeline',
  'report_chronicle',
  'reforge',
  'admin',
] as const satisfies readonly Action[];

export const allResourceKinds = [
  'session',
  'chronicle',
  'preset',
  'tenant',
  'user',
  'personal_access_token',
  'credential',
  'audit',
] as const satisfies readonly ResourceKind[];

// Compile-time guard: adding an action or kind to the port without listing it here fails tsc.
type Missing = Exclude<Action, (typeof allActions)[number]> | Exclude<ResourceKind, (typeof allResourceKinds)[number]>;
export const rulesCoverThePort: [Missing] extends [never] ? true : Missing = true;

/** What an owner with the developer role may do to their own session, chronicle or preset. */
export const ownerActions = [
  'read',
  'list',
  'update',
  'delete',
  'start',
  'stop',
  'archive',
  'restore',
  'chat',
  'reforge',
  'report_usage',
  'report_activity',
  'report_timeline',
  'report_chronicle',
] as const satisfies readonly Action[];

/**
 * Roles derived from the principal and the resource, named as in the Cerbos derived roles.
 * Every one of them requires the principal's tenant to be the resource's tenant, so a
 * principal of another tenant derives nothing and is denied everything.
 */
export type DerivedRole =
  /** any Volundr role in the resource's tenant */
  | 'tenant_member'
  | 'tenant_admin'
  | 'tenant_developer'
  | 'tenant_viewer'
  /** a tenant member whose user id is the resource's `ownerId` */
  | 'owner'
  /** an owner who also holds the developer role: may change what they own */
  | 'developer_owner'
  /** a developer creating something for themselves (no `ownerId`, or their own) */
  | 'developer_creator';

const memberRoles: readonly Role[] = ['volundr:admin', 'volundr:developer', 'volundr:viewer'];

export function derivedRoles(principal: Principal, resource: Resource): Set<DerivedRole> {
  const roles = new Set<DerivedRole>();
  if (principal.tenantId !== resource.tenantId) return roles;
  const has = (role: Role) => principal.roles.includes(role);
  if (!memberRoles.some(has)) return roles;
  roles.add('tenant_member');
  if (has('volundr:admin')) roles.add('tenant_admin');
  // An admin can do whatever a developer can (their own tokens, sessions...), and more.
  const develops = has('volundr:developer') || has('volundr:admin');
  if (develops) roles.add('tenant_developer');
  if (has('volundr:viewer')) roles.add('tenant_viewer');
  const owns = resource.ownerId !== undefined && resource.ownerId === principal.userId;
  if (owns) roles.add('owner');
  if (owns && develops) roles.add('developer_owner');
  if (develops && (resource.ownerId === undefined || owns)) roles.add('developer_creator');
  return roles;
}

export interface Rule {
  role: DerivedRole;
  actions: readonly Action[] | '*';
  /** The decision reason, kept for the audit log; says when an admin acts on someone else's resource. */
  reason: (principal: Principal, resource: Resource) => string;
}

const adminReason = (principal: Principal, resource: Resource) =>
  resource.ownerId !== undefined && resource.ownerId !== principal.userId
    ? `tenant admin acting on another user's ${resource.kind} (owner ${resource.ownerId})`
    : 'tenant admin';

const fixed = (text: string) => () => text;
const creatorReason = (_: Principal, resource: Resource) => `developer creating their own ${resource.kind}`;

/** Session, chronicle and preset: the things developers make and own. */
const workRules: readonly Rule[] = [
  { role: 'tenant_admin', actions: '*', reason: adminReason },
  { role: 'developer_owner', actions: ownerActions, reason: fixed('owner') },
  { role: 'tenant_viewer', actions: ['read', 'list'], reason: fixed('tenant viewer (read-only)') },
  { role: 'developer_creator', actions: ['create'], reason: creatorReason },
];

/**
 * Rules per resource kind, evaluated in order; the first rule that grants gives the reason.
 * Anything no rule grants is denied.
 */
export const rulesByKind: Record<ResourceKind, readonly Rule[]> = {
  session: workRules,
  chronicle: workRules,
  preset: workRules,
  // A tenant resource's `tenantId` is the tenant itself; sub-tenants are created in the parent.
  tenant: [
    { role: 'tenant_admin', actions: '*', reason: adminReason },
    { role: 'tenant_member', actions: ['read'], reason: fixed('tenant member') },
  ],
  // A user resource's `ownerId` is that user's id: everyone may read their own record.
  user: [
    { role: 'tenant_admin', actions: '*', reason: adminReason },
    { role: 'owner', actions: ['read', 'list'], reason: fixed('own user record') },
  ],
  // Owner only, admins included: whoever can read or mint someone's token can act as them.
  personal_access_token: [
    { role: 'owner', actions: ['read', 'list', 'delete'], reason: fixed('owner') },
    { role: 'developer_creator', actions: ['create'], reason: creatorReason },
  ],
  // Stored credentials are private: the tenant viewer's read-everything does not reach them.
  credential: [
    { role: 'tenant_admin', actions: '*', reason: adminReason },
    { role: 'developer_owner', actions: ['read', 'list', 'update', 'delete'], reason: fixed('owner') },
    { role: 'developer_creator', actions: ['create'], reason: creatorReason },
  ],
  // The audit log is append-only and written by the system, never through a principal's action.
  audit: [{ role: 'tenant_admin', actions: ['read', 'list'], reason: fixed('tenant admin') }],
};

export function evaluateRules(principal: Principal, action: Action, resource: Resource): Decision {
  if (principal.tenantId !== resource.tenantId) {
    return { allowed: false, reason: 'resource belongs to another tenant' };
  }
  const roles = derivedRoles(principal, resource);
  if (!roles.has('tenant_member')) {
    return { allowed: false, reason: 'principal has no Volundr role in this tenant' };
  }
  for (const rule of rulesByKind[resource.kind]) {
    if (!roles.has(rule.role)) continue;
    if (rule.actions === '*' || rule.actions.includes(action)) {
      return { allowed: true, reason: rule.reason(principal, resource) };
    }
  }
  const whose =
    resource.ownerId === undefined ? '' : resource.ownerId === principal.userId ? ' (own)' : " (another user's)";
  return {
    allowed: false,
    reason: `no rule lets ${principal.roles.join(', ')} ${action} a ${resource.kind}${whose}`,
  };
}
