import type { Tenant } from '@volundr/contracts/identity';

export interface TenantNode {
  tenant: Tenant;
  children: TenantNode[];
}

/**
 * The administered tenants (as `tenants.list` answers: the administrator's tenant, then what
 * is below it, by path) as a tree. A tenant whose parent is not in the list is a root of the
 * forest, so nothing is ever dropped from view.
 */
export function tenantTree(tenants: readonly Tenant[]): TenantNode[] {
  const nodes = new Map(tenants.map((tenant) => [tenant.id, { tenant, children: [] as TenantNode[] }]));
  const roots: TenantNode[] = [];
  for (const tenant of [...tenants].sort((a, b) => a.path.localeCompare(b.path))) {
    const node = nodes.get(tenant.id)!;
    const parent = tenant.parentId === null ? undefined : nodes.get(tenant.parentId);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The last segment of a tenant's path (its slug), e.g. `team-a` for `/acme/team-a/`. */
export const slugOf = (path: string) => path.split('/').filter(Boolean).at(-1) ?? path;

/** One line a person reads after re-provisioning a tenant. */
export function describeReprovision(result: {
  provisioned: readonly string[];
  skipped: readonly { userId: string; status: string }[];
  failed: readonly { userId: string; reason: string }[];
}): string {
  const parts = [`${result.provisioned.length} member${result.provisioned.length === 1 ? '' : 's'} in place`];
  if (result.skipped.length > 0)
    parts.push(`skipped ${result.skipped.map((s) => `${s.userId} (${s.status})`).join(', ')}`);
  if (result.failed.length > 0)
    parts.push(`failed: ${result.failed.map((f) => `${f.userId} (${f.reason})`).join(', ')}`);
  return `${parts.join('; ')}.`;
}
