import { DomainError } from '@volundr/core/errors';
import type { IntegrationRecord, IntegrationRecords } from '@volundr/core/integrations/ports/integration-records';
import { and, asc, eq, isNotNull, lt, lte, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { integrationOAuthStates, integrations } from '../schema/credentials';

const columns = {
  id: integrations.id,
  ownerId: integrations.ownerId,
  tenantId: integrations.tenantId,
  provider: integrations.provider,
  kind: integrations.kind,
  enabled: integrations.enabled,
  authMethod: integrations.authMethod,
  account: integrations.account,
  credentialName: integrations.credentialName,
  scopes: integrations.scopes,
  expiresAt: integrations.expiresAt,
  refreshedAt: integrations.refreshedAt,
  createdAt: integrations.createdAt,
  updatedAt: integrations.updatedAt,
};

const toRecord = (row: IntegrationRecord): IntegrationRecord => ({ ...row, scopes: [...row.scopes] });

/**
 * The IntegrationRecords port: `integrations` (one per owner and provider instance) and the
 * OAuth states in flight (`integration_oauth_states`, taken once: delete … returning).
 */
export function createIntegrationsRepository(database: Database): IntegrationRecords {
  const db = database.drizzle;
  const one = async (where: SQL | undefined) => {
    const [row] = await db.select(columns).from(integrations).where(where);
    return row ? toRecord(row) : null;
  };
  return {
    async listForOwner(owner) {
      const rows = await db
        .select(columns)
        .from(integrations)
        .where(and(eq(integrations.ownerId, owner.ownerId), eq(integrations.tenantId, owner.tenantId)))
        .orderBy(asc(integrations.provider));
      return rows.map(toRecord);
    },
    byId: (id) => one(eq(integrations.id, id)),
    byProvider: (ownerId, provider) => one(and(eq(integrations.ownerId, ownerId), eq(integrations.provider, provider))),
    byCredential: (ownerId, credentialName) =>
      one(and(eq(integrations.ownerId, ownerId), eq(integrations.credentialName, credentialName))),
    async upsert(record) {
      const { id: _id, ownerId: _owner, provider: _provider, createdAt: _created, ...changes } = record;
      const [row] = await db
        .insert(integrations)
        .values(record)
        .onConflictDoUpdate({ target: [integrations.ownerId, integrations.provider], set: changes })
        .returning(columns);
      if (!row) throw new DomainError('INTERNAL', `integration ${record.id} was not written`);
      return toRecord(row);
    },
    async delete(id) {
      await db.delete(integrations).where(eq(integrations.id, id));
    },
    async dueForRefresh(before, limit) {
      const rows = await db
        .select(columns)
        .from(integrations)
        .where(
          and(
            eq(integrations.authMethod, 'oauth'),
            eq(integrations.enabled, true),
            isNotNull(integrations.expiresAt),
            lte(integrations.expiresAt, before),
          ),
        )
        .orderBy(asc(integrations.expiresAt))
        .limit(limit);
      return rows.map(toRecord);
    },
    async saveOAuthState(state) {
      await db.insert(integrationOAuthStates).values(state);
    },
    async takeOAuthState(stateHash, now) {
      await db.delete(integrationOAuthStates).where(lt(integrationOAuthStates.expiresAt, now));
      const [row] = await db
        .delete(integrationOAuthStates)
        .where(eq(integrationOAuthStates.stateHash, stateHash))
        .returning({
          stateHash: integrationOAuthStates.stateHash,
          ownerId: integrationOAuthStates.ownerId,
          tenantId: integrationOAuthStates.tenantId,
          provider: integrationOAuthStates.provider,
          redirectUri: integrationOAuthStates.redirectUri,
          expiresAt: integrationOAuthStates.expiresAt,
          createdAt: integrationOAuthStates.createdAt,
        });
      return row ?? null;
    },
    exclusive: (key, fn) => database.withLock(key, fn),
  };
}
