import type { Membership, Tenant, User } from '@volundr/contracts/identity';
import type { Authorization } from '../../authz/ports/authorization';
import { DomainError } from '../../errors';
import type { HomeVolumes } from '../ports/home-volumes';
import type { NewMembership, Tenants } from '../ports/tenants';
import type { Users } from '../ports/users';

/**
 * Test doubles of the Users, Tenants and HomeVolumes ports (in memory, the repositories'
 * contracts in small), and of the Authorization port with the shipped rules for the `tenant`
 * and `user` kinds. Each records what an audit-relevant write was told about its actor.
 */

export interface RecordedChange {
  what: string;
  actorId: string | undefined;
  userId: string;
}

const iso = (at: Date) => at.toISOString();

export function inMemoryAccounts() {
  const tenants = new Map<string, Tenant>();
  const users = new Map<string, User>();
  const memberships: Membership[] = [];
  const sessionsPerTenant = new Map<string, number>();
  const changes: RecordedChange[] = [];
  const volumes = new Set<string>();
  let failVolumes: string | null = null;

  const tenantsPort: Tenants = {
    byId: async (id) => tenants.get(id) ?? null,
    byPath: async (path) => [...tenants.values()].find((t) => t.path === path) ?? null,
    async ensureRoot(root) {
      if (!tenants.has(root.id)) addTenant({ id: root.id, slug: root.id, parentId: null });
      return tenants.get(root.id)!;
    },
    async create(t) {
      const parent = t.parentId === null ? null : tenants.get(t.parentId);
      if (t.parentId !== null && !parent) throw new DomainError('TENANT_NOT_FOUND', 'no parent');
      const path = `${parent?.path ?? '/'}${t.slug}/`;
      if ([...tenants.values()].some((x) => x.path === path)) throw new DomainError('TENANT_PATH_TAKEN', path);
      const tenant: Tenant = {
        id: t.id,
        path,
        name: t.name,
        parentId: t.parentId,
        tier: t.tier,
        maxRunningSessions: t.maxRunningSessions,
        maxStorageGb: t.maxStorageGb,
        createdAt: iso(t.at),
      };
      tenants.set(t.id, tenant);
      return tenant;
    },
    async update(id, patch) {
      const tenant = tenants.get(id);
      if (!tenant) return null;
      const next = { ...tenant, ...patch };
      tenants.set(id, next);
      return next;
    },
    children: async (id) => [...tenants.values()].filter((t) => t.parentId === id),
    async descendants(id) {
      const root = tenants.get(id);
      if (!root) return [];
      return [...tenants.values()]
        .filter((t) => t.id !== id && t.path.startsWith(root.path))
        .sort((a, b) => a.path.localeCompare(b.path));
    },
    membershipsOf: async (userId) => memberships.filter((m) => m.userId === userId),
    membersOf: async (tenantId) => memberships.filter((m) => m.tenantId === tenantId),
    async ensureMembership(m) {
      return find(m.userId, m.tenantId) ?? add(m);
    },
    async setMembership(m) {
      const found = find(m.userId, m.tenantId);
      if (!found) return add(m);
      found.role = m.role;
      return { ...found };
    },
    async removeMembership(userId, tenantId) {
      return (await tenantsPort.removeMember(userId, tenantId, { actorId: 'system', at: new Date() })) !== null;
    },
    membershipsOfUsers: async (ids) => memberships.filter((m) => ids.includes(m.userId)),
    async addMember(m) {
      if (find(m.userId, m.tenantId)) throw new DomainError('MEMBERSHIP_EXISTS', 'already a member');
      changes.push({ what: 'membership.created', actorId: m.actorId, userId: m.userId });
      return add(m);
    },
    async changeRole(m) {
      const found = find(m.userId, m.tenantId);
      if (!found) return null;
      if (found.role === 'volundr:admin' && m.role !== 'volundr:admin' && admins(m.tenantId) <= 1)
        throw new DomainError('TENANT_LAST_ADMIN', 'last admin');
      const before = { ...found };
      found.role = m.role;
      changes.push({ what: 'membership.role_set', actorId: m.actorId, userId: m.userId });
      return { before, after: { ...found } };
    },
    async removeMember(userId, tenantId, by) {
      const found = find(userId, tenantId);
      if (!found) return null;
      const others = memberships.filter((m) => m.tenantId === tenantId && m !== found).length;
      if (found.role === 'volundr:admin' && admins(tenantId) <= 1 && others > 0)
        throw new DomainError('TENANT_LAST_ADMIN', 'last admin');
      memberships.splice(memberships.indexOf(found), 1);
      changes.push({ what: 'membership.removed', actorId: by.actorId, userId });
      return found;
    },
    async deleteIfEmpty(id) {
      if (!tenants.has(id)) return null;
      const contents = {
        members: memberships.filter((m) => m.tenantId === id).length,
        sessions: sessionsPerTenant.get(id) ?? 0,
        chronicles: 0,
        workspaces: 0,
        children: [...tenants.values()].filter((t) => t.parentId === id).length,
      };
      if (Object.values(contents).some((n) => n > 0)) return { deleted: false, contents };
      tenants.delete(id);
      return { deleted: true };
    },
  };

  const usersPort: Users = {
    byId: async (id) => users.get(id) ?? null,
    async upsertProvisioning(claim) {
      const user = users.get(claim.id);
      if (
        user &&
        user.status !== 'failed' &&
        !(user.status === 'provisioning' && Date.parse(user.updatedAt) < claim.staleBefore.getTime())
      )
        return false;
      users.set(claim.id, {
        ...aUser(claim.id),
        ...user,
        status: 'provisioning',
        provisionError: null,
        updatedAt: iso(claim.at),
      });
      return true;
    },
    async markActive(id, done) {
      changes.push({ what: 'user.provisioned', actorId: done.actorId, userId: id });
      const user = { ...users.get(id)!, status: 'active' as const, homeVolume: done.homeVolume, provisionError: null };
      users.set(id, user);
      return user;
    },
    async markFailed(id, failure) {
      users.set(id, { ...users.get(id)!, status: 'failed', provisionError: failure.reason });
    },
    async setSuspended(id, suspended, at, actorId) {
      const user = users.get(id);
      if (!user) return null;
      changes.push({ what: suspended ? 'user.suspended' : 'user.reinstated', actorId, userId: id });
      const next: User = {
        ...user,
        status: suspended ? 'suspended' : user.status === 'suspended' ? 'active' : user.status,
        updatedAt: iso(at),
      };
      users.set(id, next);
      return next;
    },
    list: async (q) =>
      [...users.values()]
        .filter((u) => q.afterId === undefined || u.id > q.afterId)
        .sort(byId)
        .slice(0, q.limit),
    listInTenant: async (q) =>
      [...users.values()]
        .filter((u) => memberships.some((m) => m.userId === u.id && m.tenantId === q.tenantId))
        .filter(
          (u) => (q.status === undefined || u.status === q.status) && (q.afterId === undefined || u.id > q.afterId),
        )
        .sort(byId)
        .slice(0, q.limit),
  };

  const homeVolumes: HomeVolumes = {
    async ensureHomeVolume(userId) {
      if (failVolumes) throw new Error(failVolumes);
      volumes.add(userId);
      return `home-${userId}`;
    },
  };

  function find(userId: string, tenantId: string) {
    return memberships.find((m) => m.userId === userId && m.tenantId === tenantId);
  }
  function add(m: NewMembership): Membership {
    const stored: Membership = { userId: m.userId, tenantId: m.tenantId, role: m.role, grantedAt: iso(m.at) };
    memberships.push(stored);
    return { ...stored };
  }
  function admins(tenantId: string) {
    return memberships.filter((m) => m.tenantId === tenantId && m.role === 'volundr:admin').length;
  }
  function addTenant(t: { id: string; slug: string; parentId: string | null }): Tenant {
    const parent = t.parentId ? tenants.get(t.parentId) : undefined;
    const tenant: Tenant = {
      id: t.id,
      path: `${parent?.path ?? '/'}${t.slug}/`,
      name: t.slug,
      parentId: t.parentId,
      tier: 'developer',
      maxRunningSessions: 5,
      maxStorageGb: 50,
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    tenants.set(t.id, tenant);
    return tenant;
  }

  return {
    tenants: tenantsPort,
    users: usersPort,
    homeVolumes,
    changes,
    volumes,
    /** Adds a tenant below `parentId` (or a root), with `slug` as its id unless `id` is given. */
    tenant: (slug: string, parentId: string | null = null, id = slug) => addTenant({ id, slug, parentId }),
    /** Adds a user (active unless told) with memberships `[tenantId, role]`, the first being home. */
    user(id: string, ...member: [string, Membership['role']][]): User {
      const user = aUser(id);
      users.set(id, user);
      for (const [tenantId, role] of member) add({ userId: id, tenantId, role, at: new Date() });
      return user;
    },
    setStatus: (id: string, status: User['status']) => users.set(id, { ...users.get(id)!, status }),
    setSessions: (tenantId: string, n: number) => sessionsPerTenant.set(tenantId, n),
    failHomeVolumes: (reason: string | null) => {
      failVolumes = reason;
    },
  };
}

const byId = (a: User, b: User) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const aUser = (id: string): User => ({
  id,
  email: `${id}@example.test`,
  displayName: id,
  status: 'active',
  homeVolume: `home-${id}`,
  provisionError: null,
  provisionedAt: '2026-01-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/**
 * The shipped rules for kinds `tenant` and `user` (packages/adapters/authz/src/role-rules.ts):
 * same tenant only; admins everything; members read the tenant; a user reads and lists themself.
 */
export function tenantUserRules(): Authorization & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async check(principal, action, resource) {
      asked.push(`${action} ${resource.kind}${resource.id ? ` ${resource.id}` : ''}`);
      if (principal.tenantId !== resource.tenantId) return { allowed: false, reason: 'other tenant' };
      if (principal.roles.includes('volundr:admin')) return { allowed: true, reason: 'tenant admin' };
      if (principal.roles.length === 0) return { allowed: false, reason: 'no role' };
      if (resource.kind === 'tenant') return { allowed: action === 'read', reason: 'tenant member' };
      if (resource.kind === 'user')
        return { allowed: resource.ownerId === principal.userId && (action === 'read' || action === 'list') };
      return { allowed: false };
    },
    async listScope() {
      throw new Error('administration asks check(), not listScope()');
    },
  };
}
