import type { Authorization } from '../authz/ports/authorization';

/**
 * Test double of the Authorization port with the built-in roles' shape: admins may do
 * anything in their tenant, developers act on what they own (and create), viewers only read
 * their own. Every decision is recorded.
 */
export function ownerOnlyAuthorization(): Authorization & {
  asked: { userId: string; action: string; kind: string }[];
} {
  const asked: { userId: string; action: string; kind: string }[] = [];
  return {
    asked,
    async check(principal, action, resource) {
      asked.push({ userId: principal.userId, action, kind: resource.kind });
      if (resource.tenantId !== principal.tenantId) return { allowed: false, reason: 'other tenant' };
      if (principal.roles.includes('volundr:admin')) return { allowed: true };
      const own = resource.ownerId === principal.userId;
      if (principal.roles.includes('volundr:developer')) return { allowed: own, reason: own ? 'owner' : 'not owner' };
      return { allowed: own && (action === 'read' || action === 'list'), reason: 'viewer' };
    },
    async listScope(principal, _kind, tenantId) {
      if (tenantId !== principal.tenantId) return 'none';
      return principal.roles.includes('volundr:admin') ? 'all' : 'own';
    },
  };
}
