import type { Membership, Tenant } from '@volundr/contracts/identity';
import { DomainError } from '@volundr/core/errors';
import type { NewMembership, NewTenant, TenantContents, Tenants } from '@volundr/core/identity/ports/tenants';
import { and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Drizzle } from '../client';
import { chronicles } from '../schema/chronicles';
import { tenantMemberships, tenants } from '../schema/identity';
import { sessions } from '../schema/sessions';
import { workspaces } from '../schema/workspaces';
import { isUniqueViolation } from './pg-errors';
import { iso } from './timestamps';

const tenantColumns = {
  id: tenants.id,
  path: tenants.path,
  name: tenants.name,
  parentId: tenants.parentId,
  tier: tenants.tier,
  maxRunningSessions: tenants.maxRunningSessions,
  maxStorageGb: tenants.maxStorageGb,
  createdAt: tenants.createdAt,
};
const membershipColumns = {
  userId: tenantMemberships.userId,
  tenantId: tenantMemberships.tenantId,
  role: tenantMemberships.role,
  grantedAt: tenantMemberships.grantedAt,
};

const toTenant = (row: Pick<typeof tenants.$inferSelect, keyof typeof tenantColumns>): Tenant => ({
  ...row,
  createdAt: iso(row.createdAt),
});
const toMembership = (
  row: Pick<typeof tenantMemberships.$inferSelect, keyof typeof membershipColumns>,
): Membership => ({
  ...row,
  grantedAt: iso(row.grantedAt),
});

const ADMIN = 'volundr:admin';

const lastAdmin = (userId: string, tenantId: string) =>
  new DomainError(
    'TENANT_LAST_ADMIN',
    `${userId} is the last administrator of tenant ${tenantId}, which has other members; make another member an administrator first.`,
    { userId, tenantId },
  );

/**
 * Locks the tenant's row until the transaction ends, so membership changes that must keep an
 * administrator are checked and applied one at a time per tenant. (Inserting a membership takes
 * a key-share lock on the same row through the foreign key, so it waits too.)
 */
async function lockTenant(tx: Drizzle, tenantId: string): Promise<boolean> {
  const rows = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for('update');
  return rows.length === 1;
}

async function countWhere(tx: Drizzle, table: typeof sessions | typeof chronicles | typeof workspaces, id: string) {
  const [row] = await tx.select({ n: count() }).from(table).where(eq(table.tenantId, id));
  return Number(row?.n ?? 0);
}

const pathTaken = (path: string) =>
  new DomainError('TENANT_PATH_TAKEN', `A tenant with the path ${path} already exists.`, { path });

/** The Tenants port on `tenants` (materialized paths) and `tenant_memberships`. */
export function createTenantsRepository(db: Drizzle): Tenants {
  const byId = async (id: string) => {
    const [row] = await db.select(tenantColumns).from(tenants).where(eq(tenants.id, id));
    return row ? toTenant(row) : null;
  };
  const membership = async (userId: string, tenantId: string) => {
    const [row] = await db
      .select(membershipColumns)
      .from(tenantMemberships)
      .where(and(eq(tenantMemberships.userId, userId), eq(tenantMemberships.tenantId, tenantId)));
    return row ? toMembership(row) : null;
  };

  return {
    byId,

    async byPath(path) {
      const [row] = await db.select(tenantColumns).from(tenants).where(eq(tenants.path, path));
      return row ? toTenant(row) : null;
    },

    async ensureRoot(root) {
      const path = `/${root.id}/`;
      await db
        .insert(tenants)
        .values({ id: root.id, path, name: root.name, parentId: null, createdAt: root.at })
        .onConflictDoNothing();
      const stored = await byId(root.id);
      if (!stored) throw pathTaken(path);
      return stored;
    },

    async create(tenant: NewTenant) {
      let path = `/${tenant.slug}/`;
      if (tenant.parentId !== null) {
        const parent = await byId(tenant.parentId);
        if (!parent) {
          throw new DomainError('TENANT_NOT_FOUND', `There is no tenant ${tenant.parentId} to create a tenant under.`, {
            tenantId: tenant.parentId,
          });
        }
        path = `${parent.path}${tenant.slug}/`;
      }
      try {
        const [row] = await db
          .insert(tenants)
          .values({
            id: tenant.id,
            path,
            name: tenant.name,
            parentId: tenant.parentId,
            tier: tenant.tier,
            maxRunningSessions: tenant.maxRunningSessions,
            maxStorageGb: tenant.maxStorageGb,
            createdAt: tenant.at,
          })
          .returning(tenantColumns);
        return toTenant(row!);
      } catch (error) {
        if (isUniqueViolation(error, 'tenants_path_key')) throw pathTaken(path);
        throw error;
      }
    },

    async update(id, patch) {
      if (Object.keys(patch).length === 0) return byId(id);
      const [row] = await db.update(tenants).set(patch).where(eq(tenants.id, id)).returning(tenantColumns);
      return row ? toTenant(row) : null;
    },

    async children(id) {
      const rows = await db
        .select(tenantColumns)
        .from(tenants)
        .where(eq(tenants.parentId, id))
        .orderBy(asc(tenants.path));
      return rows.map(toTenant);
    },

    async descendants(id) {
      // starts_with, not LIKE: a root tenant's id comes from the IdP and may contain % or _.
      const rows = await db
        .select(tenantColumns)
        .from(tenants)
        .where(
          and(sql`starts_with(${tenants.path}, (SELECT t.path FROM tenants t WHERE t.id = ${id}))`, ne(tenants.id, id)),
        )
        .orderBy(asc(tenants.path));
      return rows.map(toTenant);
    },

    async membershipsOf(userId) {
      const rows = await db
        .select(membershipColumns)
        .from(tenantMemberships)
        .where(eq(tenantMemberships.userId, userId))
        .orderBy(asc(tenantMemberships.grantedAt), asc(tenantMemberships.tenantId));
      return rows.map(toMembership);
    },

    async membersOf(tenantId) {
      const rows = await db
        .select(membershipColumns)
        .from(tenantMemberships)
        .where(eq(tenantMemberships.tenantId, tenantId))
        .orderBy(asc(tenantMemberships.grantedAt), asc(tenantMemberships.userId));
      return rows.map(toMembership);
    },

    async ensureMembership(m: NewMembership) {
      await db
        .insert(tenantMemberships)
        .values({ userId: m.userId, tenantId: m.tenantId, role: m.role, grantedAt: m.at })
        .onConflictDoNothing({ target: [tenantMemberships.userId, tenantMemberships.tenantId] });
      const stored = await membership(m.userId, m.tenantId);
      if (!stored) throw new Error(`membership of ${m.userId} in ${m.tenantId} was removed while being ensured`);
      return stored;
    },

    async setMembership(m: NewMembership) {
      const [row] = await db
        .insert(tenantMemberships)
        .values({ userId: m.userId, tenantId: m.tenantId, role: m.role, grantedAt: m.at })
        .onConflictDoUpdate({
          target: [tenantMemberships.userId, tenantMemberships.tenantId],
          set: { role: m.role },
        })
        .returning(membershipColumns);
      return toMembership(row!);
    },

    async removeMembership(userId, tenantId) {
      const rows = await db
        .delete(tenantMemberships)
        .where(and(eq(tenantMemberships.userId, userId), eq(tenantMemberships.tenantId, tenantId)))
        .returning({ userId: tenantMemberships.userId });
      return rows.length === 1;
    },

    async membershipsOfUsers(userIds) {
      if (userIds.length === 0) return [];
      const rows = await db
        .select(membershipColumns)
        .from(tenantMemberships)
        .where(inArray(tenantMemberships.userId, [...userIds]))
        .orderBy(asc(tenantMemberships.userId), asc(tenantMemberships.grantedAt), asc(tenantMemberships.tenantId));
      return rows.map(toMembership);
    },

    async addMember(m) {
      const rows = await db
        .insert(tenantMemberships)
        .values({ userId: m.userId, tenantId: m.tenantId, role: m.role, grantedAt: m.at })
        .onConflictDoNothing({ target: [tenantMemberships.userId, tenantMemberships.tenantId] })
        .returning(membershipColumns);
      if (!rows[0]) {
        throw new DomainError('MEMBERSHIP_EXISTS', `${m.userId} is already a member of tenant ${m.tenantId}.`, {
          userId: m.userId,
          tenantId: m.tenantId,
        });
      }
      return toMembership(rows[0]);
    },

    changeRole: (m) =>
      db.transaction(async (txDb) => {
        const tx = txDb as unknown as Drizzle;
        if (!(await lockTenant(tx, m.tenantId))) return null;
        const before = await createTenantsRepository(tx).membershipsOfUsers([m.userId]);
        const current = before.find((b) => b.tenantId === m.tenantId);
        if (!current) return null;
        if (current.role === ADMIN && m.role !== ADMIN && (await adminCount(tx, m.tenantId)) <= 1) {
          throw lastAdmin(m.userId, m.tenantId);
        }
        const [row] = await tx
          .update(tenantMemberships)
          .set({ role: m.role })
          .where(and(eq(tenantMemberships.userId, m.userId), eq(tenantMemberships.tenantId, m.tenantId)))
          .returning(membershipColumns);
        return { before: current, after: toMembership(row!) };
      }),

    removeMember: (userId, tenantId) =>
      db.transaction(async (txDb) => {
        const tx = txDb as unknown as Drizzle;
        if (!(await lockTenant(tx, tenantId))) return null;
        const [row] = await tx
          .select(membershipColumns)
          .from(tenantMemberships)
          .where(and(eq(tenantMemberships.userId, userId), eq(tenantMemberships.tenantId, tenantId)));
        if (!row) return null;
        // The last member may go (the tenant is then empty, and can be deleted); the last
        // administrator of a tenant that keeps members may not.
        if (row.role === ADMIN && (await adminCount(tx, tenantId)) <= 1 && (await memberCount(tx, tenantId)) > 1)
          throw lastAdmin(userId, tenantId);
        await tx
          .delete(tenantMemberships)
          .where(and(eq(tenantMemberships.userId, userId), eq(tenantMemberships.tenantId, tenantId)));
        return toMembership(row);
      }),

    deleteIfEmpty: (id) =>
      db.transaction(async (txDb) => {
        const tx = txDb as unknown as Drizzle;
        if (!(await lockTenant(tx, id))) return null;
        const [members] = await tx
          .select({ n: count() })
          .from(tenantMemberships)
          .where(eq(tenantMemberships.tenantId, id));
        const [children] = await tx.select({ n: count() }).from(tenants).where(eq(tenants.parentId, id));
        const contents: TenantContents = {
          members: Number(members?.n ?? 0),
          sessions: await countWhere(tx, sessions, id),
          chronicles: await countWhere(tx, chronicles, id),
          workspaces: await countWhere(tx, workspaces, id),
          children: Number(children?.n ?? 0),
        };
        if (Object.values(contents).some((n) => n > 0)) return { deleted: false as const, contents };
        await tx.delete(tenants).where(eq(tenants.id, id));
        return { deleted: true as const };
      }),
  };
}

async function memberCount(tx: Drizzle, tenantId: string): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(tenantMemberships).where(eq(tenantMemberships.tenantId, tenantId));
  return Number(row?.n ?? 0);
}

async function adminCount(tx: Drizzle, tenantId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(tenantMemberships)
    .where(and(eq(tenantMemberships.tenantId, tenantId), eq(tenantMemberships.role, ADMIN)));
  return Number(row?.n ?? 0);
}
