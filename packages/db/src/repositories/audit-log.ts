import { type AuditEntry, ZAuditAction } from '@volundr/contracts/events';
import type { AuditLog, AuditQuery, NewAuditEntry } from '@volundr/core/events/ports/audit-log';
import type { PersonalAccessTokens } from '@volundr/core/identity/ports/personal-access-tokens';
import type { Tenants } from '@volundr/core/identity/ports/tenants';
import type { Users } from '@volundr/core/identity/ports/users';
import type { Database, Queryable, Row, SqlParam } from '../client';
import { createPersonalAccessTokensRepository } from './personal-access-tokens';
import { createTenantsRepository } from './tenants';
import { createUsersRepository } from './users';

interface AuditRow extends Row {
  id: string;
  at: string;
  tenant_id: string;
  actor_id: string;
  action: string;
  resource_kind: string;
  resource_id: string | null;
  resource_owner_id: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

const COLUMNS = `id::text AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, tenant_id,
  actor_id, action, resource_kind, resource_id, resource_owner_id, reason, data`;

const toEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: row.at,
  tenantId: row.tenant_id,
  actorId: row.actor_id,
  // The column only ever receives ZAuditAction values; an unknown one is a newer Volundr's.
  action: ZAuditAction.catch('authz.denied').parse(row.action),
  resource: { kind: row.resource_kind, id: row.resource_id, ownerId: row.resource_owner_id },
  reason: row.reason,
  data: row.data ?? {},
});

export async function insertAuditEntry(q: Queryable, entry: NewAuditEntry): Promise<void> {
  await q.execute(
    `INSERT INTO audit_log (at, tenant_id, actor_id, action, resource_kind, resource_id, resource_owner_id, reason, data)
     VALUES ($1::timestamptz, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
    [
      entry.at.toISOString(),
      entry.tenantId,
      entry.actorId,
      entry.action,
      entry.resource.kind,
      entry.resource.id,
      entry.resource.ownerId,
      entry.reason?.slice(0, 2000) ?? null,
      JSON.stringify(entry.data),
    ],
  );
}

/** The AuditLog port on `audit_log`: append, and keyset pages newest first. */
export interface AuditLogRepository extends AuditLog {
  /**
   * Deletes the entries older than `before` (retention), `batchSize` rows per statement so a
   * large backlog never holds one long transaction; how many were deleted.
   */
  deleteOlderThan(before: Date, batchSize?: number): Promise<number>;
}

export function createAuditLogRepository(q: Queryable): AuditLogRepository {
  return {
    record: (entry) => insertAuditEntry(q, entry),
    async deleteOlderThan(before, batchSize = 5_000) {
      let deleted = 0;
      for (;;) {
        const rows = await q.execute<{ id: string } & Row>(
          `DELETE FROM audit_log WHERE id IN (
             SELECT id FROM audit_log WHERE at < $1::timestamptz ORDER BY id LIMIT $2)
           RETURNING id::text AS id`,
          [before.toISOString(), batchSize],
        );
        deleted += rows.length;
        if (rows.length < batchSize) return deleted;
      }
    },
    async list(query: AuditQuery) {
      const params: SqlParam[] = [query.tenantId];
      const where = ['tenant_id = $1'];
      const add = (sql: string, value: SqlParam) => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (query.action) add('action = ?', query.action);
      if (query.actorId) add('actor_id = ?', query.actorId);
      if (query.resourceOwnerId) add('resource_owner_id = ?', query.resourceOwnerId);
      if (query.resourceId) add('resource_id = ?', query.resourceId);
      if (query.since) add('at >= ?::timestamptz', query.since.toISOString());
      if (query.until) add('at < ?::timestamptz', query.until.toISOString());
      if (query.beforeId) add('id < ?::bigint', query.beforeId);
      params.push(query.limit);
      const rows = await q.execute<AuditRow>(
        `SELECT ${COLUMNS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY audit_log.id DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map(toEntry);
    },
  };
}

/** The tenant an entry about a user belongs to: their home tenant (first membership). */
async function homeTenantOf(q: Queryable, userId: string): Promise<string> {
  const [row] = await q.execute<{ tenant_id: string } & Row>(
    'SELECT tenant_id FROM tenant_memberships WHERE user_id = $1 ORDER BY granted_at, tenant_id LIMIT 1',
    [userId],
  );
  return row?.tenant_id ?? '(no tenant)';
}

/**
 * The users, tenants and personal-access-token repositories, each security-relevant write
 * recorded in `audit_log` **in the same transaction** (the change and its entry commit
 * together or not at all). The repositories do not know who asked: token entries name the
 * token's owner (nobody else may mint or revoke a token), provisioning entries the user (or the
 * administrator who re-provisioned them); role, membership and suspension changes name the
 * administrator the caller passes (`actorId`), else `system` (just-in-time provisioning).
 */
export function createAuditedAccountRepositories(database: Database): {
  users: Users;
  tenants: Tenants;
  tokens: PersonalAccessTokens;
} {
  const users = createUsersRepository(database.drizzle);
  const tenants = createTenantsRepository(database.drizzle);
  const tokens = createPersonalAccessTokensRepository(database.drizzle);
  const record = (tx: Queryable, entry: Omit<NewAuditEntry, 'reason'> & { reason?: string | null }) =>
    insertAuditEntry(tx, { reason: null, ...entry });

  return {
    users: {
      ...users,
      markActive: (id, done) =>
        database.transaction(async (tx) => {
          const user = await createUsersRepository(tx.drizzle).markActive(id, done);
          await record(tx, {
            tenantId: await homeTenantOf(tx, id),
            actorId: done.actorId ?? id,
            action: 'user.provisioned',
            resource: { kind: 'user', id, ownerId: id },
            data: { homeVolume: done.homeVolume },
            at: done.at,
          });
          return user;
        }),
      setSuspended: (id, suspended, at, actorId) =>
        database.transaction(async (tx) => {
          const user = await createUsersRepository(tx.drizzle).setSuspended(id, suspended, at);
          if (user) {
            await record(tx, {
              tenantId: await homeTenantOf(tx, id),
              actorId: actorId ?? 'system',
              action: suspended ? 'user.suspended' : 'user.reinstated',
              resource: { kind: 'user', id, ownerId: id },
              data: { status: user.status },
              at,
            });
          }
          return user;
        }),
    },
    tenants: {
      ...tenants,
      // An administrator's changes to the tree: in the acting administrator's tenant's log.
      create: (tenant, by) =>
        by
          ? database.transaction(async (tx) => {
              const created = await createTenantsRepository(tx.drizzle).create(tenant);
              await record(tx, {
                tenantId: await homeTenantOf(tx, by.actorId),
                actorId: by.actorId,
                action: 'tenant.created',
                resource: { kind: 'tenant', id: created.id, ownerId: null },
                data: { path: created.path, parentId: created.parentId },
                at: by.at,
              });
              return created;
            })
          : tenants.create(tenant),
      update: (id, patch, by) =>
        by
          ? database.transaction(async (tx) => {
              const updated = await createTenantsRepository(tx.drizzle).update(id, patch);
              if (updated) {
                await record(tx, {
                  tenantId: await homeTenantOf(tx, by.actorId),
                  actorId: by.actorId,
                  action: 'tenant.updated',
                  resource: { kind: 'tenant', id, ownerId: null },
                  data: { path: updated.path, changes: { ...patch } },
                  at: by.at,
                });
              }
              return updated;
            })
          : tenants.update(id, patch),
      deleteIfEmpty: (id, by) =>
        by
          ? database.transaction(async (tx) => {
              const repository = createTenantsRepository(tx.drizzle);
              const before = await repository.byId(id);
              const outcome = await repository.deleteIfEmpty(id);
              if (outcome?.deleted) {
                await record(tx, {
                  tenantId: await homeTenantOf(tx, by.actorId),
                  actorId: by.actorId,
                  action: 'tenant.deleted',
                  resource: { kind: 'tenant', id, ownerId: null },
                  data: { path: before?.path ?? null },
                  at: by.at,
                });
              }
              return outcome;
            })
          : tenants.deleteIfEmpty(id),
      ensureMembership: (m) =>
        database.transaction(async (tx) => {
          const stored = await createTenantsRepository(tx.drizzle).ensureMembership(m);
          // Stored just now (not found from before): its grant time is this call's.
          if (Date.parse(stored.grantedAt) === m.at.getTime()) {
            await record(tx, {
              tenantId: m.tenantId,
              actorId: m.actorId ?? 'system',
              action: 'membership.created',
              resource: { kind: 'user', id: m.userId, ownerId: m.userId },
              data: { role: stored.role },
              at: m.at,
            });
          }
          return stored;
        }),
      setMembership: (m) =>
        database.transaction(async (tx) => {
          const stored = await createTenantsRepository(tx.drizzle).setMembership(m);
          await record(tx, {
            tenantId: m.tenantId,
            actorId: m.actorId ?? 'system',
            action: 'membership.role_set',
            resource: { kind: 'user', id: m.userId, ownerId: m.userId },
            data: { role: stored.role },
            at: m.at,
          });
          return stored;
        }),
      removeMembership: (userId, tenantId, by) =>
        database.transaction(async (tx) => {
          const removed = await createTenantsRepository(tx.drizzle).removeMembership(userId, tenantId);
          if (removed) {
            await record(tx, {
              tenantId,
              actorId: by?.actorId ?? 'system',
              action: 'membership.removed',
              resource: { kind: 'user', id: userId, ownerId: userId },
              data: {},
              at: by?.at ?? new Date(),
            });
          }
          return removed;
        }),
      // Administrators' membership changes: the change and its entry (naming the admin) commit together.
      addMember: (m) =>
        database.transaction(async (tx) => {
          const stored = await createTenantsRepository(tx.drizzle).addMember(m);
          await record(tx, {
            tenantId: m.tenantId,
            actorId: m.actorId,
            action: 'membership.created',
            resource: { kind: 'user', id: m.userId, ownerId: m.userId },
            data: { role: stored.role },
            at: m.at,
          });
          return stored;
        }),
      changeRole: (m) =>
        database.transaction(async (tx) => {
          const change = await createTenantsRepository(tx.drizzle).changeRole(m);
          if (change && change.before.role !== change.after.role) {
            await record(tx, {
              tenantId: m.tenantId,
              actorId: m.actorId,
              action: 'membership.role_set',
              resource: { kind: 'user', id: m.userId, ownerId: m.userId },
              data: { role: change.after.role, previousRole: change.before.role },
              at: m.at,
            });
          }
          return change;
        }),
      removeMember: (userId, tenantId, by) =>
        database.transaction(async (tx) => {
          const removed = await createTenantsRepository(tx.drizzle).removeMember(userId, tenantId, by);
          if (removed) {
            await record(tx, {
              tenantId,
              actorId: by.actorId,
              action: 'membership.removed',
              resource: { kind: 'user', id: userId, ownerId: userId },
              data: { role: removed.role },
              at: by.at,
            });
          }
          return removed;
        }),
    },
    tokens: {
      ...tokens,
      insert: (token) =>
        database.transaction(async (tx) => {
          const stored = await createPersonalAccessTokensRepository(tx.drizzle).insert(token);
          await record(tx, {
            tenantId: await homeTenantOf(tx, token.ownerId),
            actorId: token.ownerId,
            action: 'token.created',
            resource: { kind: 'personal_access_token', id: stored.id, ownerId: token.ownerId },
            data: {
              name: stored.name,
              prefix: stored.tokenPrefix,
              sessionId: stored.sessionId,
              expiresAt: stored.expiresAt,
            },
            at: token.at,
          });
          return stored;
        }),
      revoke: (id, at) =>
        database.transaction(async (tx) => {
          const repo = createPersonalAccessTokensRepository(tx.drizzle);
          const before = await repo.byId(id);
          const stored = await repo.revoke(id, at);
          if (stored && before && before.revokedAt === null) {
            await record(tx, {
              tenantId: await homeTenantOf(tx, stored.ownerId),
              actorId: stored.ownerId,
              action: 'token.revoked',
              resource: { kind: 'personal_access_token', id, ownerId: stored.ownerId },
              data: { name: stored.name, prefix: stored.tokenPrefix, sessionId: stored.sessionId },
              at,
            });
          }
          return stored;
        }),
    },
  };
}
