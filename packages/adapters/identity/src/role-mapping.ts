import { type Role, ZRole } from '@volundr/contracts/principal';
import { z } from 'zod';

/** IdP role or group name → Volundr role. Names are matched exactly (case-sensitive). */
export const ZRoleMap = z.record(z.string().min(1), ZRole);
export type RoleMap = z.infer<typeof ZRoleMap>;

/** Volundr's own role names always map to themselves, so the embedded provider's tokens need no map. */
const identityMap: RoleMap = Object.fromEntries(ZRole.options.map((role) => [role, role]));

/**
 * Maps IdP role names to Volundr roles. Unknown names are dropped; a principal left with no
 * role is a developer (the reference's behaviour: authenticated means at least developer).
 */
export function mapRoles(names: readonly string[], roleMap: RoleMap): Role[] {
  const merged: RoleMap = { ...identityMap, ...roleMap };
  const roles = new Set<Role>();
  for (const name of names) {
    const role = Object.hasOwn(merged, name) ? merged[name] : undefined;
    if (role) roles.add(role);
  }
  return roles.size === 0 ? ['volundr:developer'] : [...roles].sort();
}
