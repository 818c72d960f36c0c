import type { User } from '@volundr/contracts/identity';
import type { ClaimProvisioning, Users } from '@volundr/core/identity/ports/users';
import { and, asc, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { Drizzle } from '../client';
import { tenantMemberships, users } from '../schema/identity';
import { iso, isoOrNull } from './timestamps';

const columns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  status: users.status,
  homeVolume: users.homeVolume,
  provisionError: users.provisionError,
  provisionedAt: users.provisionedAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

type UserRow = Pick<typeof users.$inferSelect, keyof typeof columns>;

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  displayName: row.displayName,
  status: row.status,
  homeVolume: row.homeVolume,
  provisionError: row.provisionError,
  provisionedAt: isoOrNull(row.provisionedAt),
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});

const PROVISION_ERROR_MAX = 2000;

/** The Users port on the `users` table. */
export function createUsersRepository(db: Drizzle): Users {
  return {
    async byId(id) {
      const [row] = await db.select(columns).from(users).where(eq(users.id, id));
      return row ? toUser(row) : null;
    },

    async upsertProvisioning(claim: ClaimProvisioning) {
      // One statement, so the database arbitrates concurrent first requests: the INSERT wins
      // for the first; later ones conflict and only take the row over when it failed or its
      // claim went stale (the WHERE of DO UPDATE is evaluated on the committed row).
      const rows = await db
        .insert(users)
        .values({
          id: claim.id,
          email: claim.email,
          displayName: claim.displayName,
          status: 'provisioning',
          createdAt: claim.at,
          updatedAt: claim.at,
        })
        .onConflictDoUpdate({
          target: users.id,
          set: {
            status: 'provisioning',
            provisionError: null,
            email: sql`excluded.email`,
            displayName: sql`excluded.display_name`,
            updatedAt: claim.at,
          },
          setWhere: or(
            eq(users.status, 'failed'),
            and(eq(users.status, 'provisioning'), lt(users.updatedAt, claim.staleBefore)),
          ),
        })
        .returning({ id: users.id });
      return rows.length === 1;
    },

    async markActive(id, done) {
      const [row] = await db
        .update(users)
        .set({
          status: 'active',
          homeVolume: done.homeVolume,
          provisionError: null,
          provisionedAt: done.at,
          updatedAt: done.at,
        })
        .where(eq(users.id, id))
        .returning(columns);
      if (!row) throw new Error(`user ${id} disappeared while being provisioned`);
      return toUser(row);
    },

    async markFailed(id, failure) {
      await db
        .update(users)
        .set({ status: 'failed', provisionError: failure.reason.slice(0, PROVISION_ERROR_MAX), updatedAt: failure.at })
        .where(eq(users.id, id));
    },

    async setSuspended(id, suspended, at) {
      // Lifting a suspension returns to `active` only from `suspended`; other states are kept.
      const [row] = await db
        .update(users)
        .set({
          status: suspended
            ? 'suspended'
            : sql`CASE WHEN ${users.status} = 'suspended' THEN 'active' ELSE ${users.status} END`,
          updatedAt: at,
        })
        .where(eq(users.id, id))
        .returning(columns);
      return row ? toUser(row) : null;
    },

    async list(query) {
      const rows = await db
        .select(columns)
        .from(users)
        .where(query.afterId === undefined ? undefined : gt(users.id, query.afterId))
        .orderBy(asc(users.id))
        .limit(query.limit);
      return rows.map(toUser);
    },

    async listInTenant(query) {
      // The primary key (user_id, tenant_id) makes the join yield each user at most once.
      const rows = await db
        .select(columns)
        .from(users)
        .innerJoin(tenantMemberships, eq(tenantMemberships.userId, users.id))
        .where(
          and(
            eq(tenantMemberships.tenantId, query.tenantId),
            query.status === undefined ? undefined : eq(users.status, query.status),
            query.afterId === undefined ? undefined : gt(users.id, query.afterId),
          ),
        )
        .orderBy(asc(users.id))
        .limit(query.limit);
      return rows.map(toUser);
    },
  };
}
