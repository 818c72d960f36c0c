import type { Principal } from '@volundr/contracts/principal';
import type { Authorization, Resource, ResourceKind } from '@volundr/core/authz/ports/authorization';

export type ListScope = Awaited<ReturnType<Authorization['listScope']>>;

/** An owner id no real user has, standing for "somebody else" in the list-scope probes. */
const someoneElse = 'volundr:list-scope:someone-else';

/**
 * Every adapter derives `listScope` the same way, from its own `list` decisions on two
 * synthetic resources of the kind in the tenant: one owned by somebody else and one owned by
 * the principal. Allowed on somebody else's → `all`; only on their own → `own`; else `none`.
 * This keeps the policy the single source of truth (no second rule set for lists) and works
 * with any engine that can answer `check`, at the cost of one extra decision per list.
 */
export function listScopeProbes(principal: Principal, kind: ResourceKind, tenantId: string) {
  const other = principal.userId === someoneElse ? `${someoneElse}-2` : someoneElse;
  const others: Resource = { kind, id: 'list-scope-others', ownerId: other, tenantId };
  const own: Resource = { kind, id: 'list-scope-own', ownerId: principal.userId, tenantId };
  return { others, own };
}

export function listScopeFrom(othersAllowed: boolean, ownAllowed: boolean): ListScope {
  if (othersAllowed) return 'all';
  return ownAllowed ? 'own' : 'none';
}
