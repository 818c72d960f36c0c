import type { CredentialChanges } from '../credentials/ports/credential-changes';
import type { CredentialRecord, CredentialRecords } from '../credentials/ports/credential-records';
import type { SecretStore } from '../credentials/ports/secret-store';
import { isDomainError } from '../errors';
import type { Clock } from '../shared/ports/clock';
import type { Ids } from '../shared/ports/ids';
import type { Logger } from '../shared/ports/logger';
import type { GitProviders } from './ports/git-providers';
import type { IntegrationRecord, IntegrationRecords } from './ports/integration-records';
import { storeIntegrationToken } from './store-integration-token';

export interface IntegrationTokensDeps {
  integrations: IntegrationRecords;
  credentials: CredentialRecords;
  store: SecretStore;
  providers: GitProviders;
  clock: Clock;
  ids: Ids;
  changes?: CredentialChanges;
  logger?: Logger;
  /** Refresh this long before expiry (default 5 minutes). */
  refreshAheadMs?: number;
}

export interface IntegrationTokens {
  /** Refreshes the integration's OAuth token when it is due (or always with `force`). */
  refresh(record: IntegrationRecord, options?: { force?: boolean }): Promise<IntegrationRecord>;
  /** For credential reads: refreshes the integration owning this credential when due. */
  freshen(credential: CredentialRecord): Promise<void>;
  /** The periodic job: refreshes every integration due soon. Returns how many were refreshed. */
  refreshDue(): Promise<number>;
}

/**
 * Keeps OAuth tokens fresh for long sessions. A refresh takes a lock per integration (several
 * API replicas refresh once), re-reads the row (another replica may have done it), exchanges
 * the refresh token, stores the new token and publishes the change: the running sessions'
 * credential files are rewritten and git uses the new token on its next request.
 */
export function integrationTokens(deps: IntegrationTokensDeps): IntegrationTokens {
  const ahead = deps.refreshAheadMs ?? 5 * 60 * 1000;
  const due = (r: IntegrationRecord) =>
    r.authMethod === 'oauth' && r.expiresAt !== null && r.expiresAt.getTime() - ahead <= deps.clock.now().getTime();

  async function refresh(record: IntegrationRecord, options: { force?: boolean } = {}): Promise<IntegrationRecord> {
    const result = await deps.integrations.exclusive(`integration-refresh:${record.id}`, () =>
      refreshLocked(record, options),
    );
    // Published outside the lock: listeners re-read the credential (and could ask for a refresh).
    if (result.refreshed)
      await deps.changes?.publish({
        ownerId: result.record.ownerId,
        tenantId: result.record.tenantId,
        name: result.record.credentialName,
        kind: 'updated',
      });
    return result.record;
  }

  async function refreshLocked(
    record: IntegrationRecord,
    options: { force?: boolean },
  ): Promise<{ record: IntegrationRecord; refreshed: boolean }> {
    const current = await deps.integrations.byId(record.id);
    if (!current || (!options.force && !due(current))) return { record: current ?? record, refreshed: false };
    const oauth = deps.providers.oauth(current.provider);
    const location = { ownerId: current.ownerId, tenantId: current.tenantId, name: current.credentialName };
    const data = await deps.store.get(location);
    if (!oauth || !data?.refresh_token) return { record: current, refreshed: false };
    const tokens = await oauth.refresh(data.refresh_token);
    const provider = deps.providers.list().find((p) => p.name === current.provider);
    await storeIntegrationToken(
      deps,
      {
        ...location,
        provider: current.provider,
        host: provider?.host ?? '',
        protocol: provider?.webUrl.startsWith('http://') ? 'http' : 'https',
        credentialName: current.credentialName,
        gitUsername: deps.providers.gitUsername(current.provider),
      },
      tokens,
      data,
    );
    const now = deps.clock.now();
    const updated = await deps.integrations.upsert({
      ...current,
      expiresAt: tokens.expiresAt,
      refreshedAt: now,
      updatedAt: now,
      scopes: tokens.scopes.length ? tokens.scopes : current.scopes,
    });
    deps.logger?.info(
      {
        integrationId: current.id,
        provider: current.provider,
        ownerId: current.ownerId,
        expiresAt: tokens.expiresAt,
      },
      'integration token refreshed',
    );
    return { record: updated, refreshed: true };
  }

  return {
    refresh,
    async freshen(credential) {
      const record = await deps.integrations.byCredential(credential.ownerId, credential.name);
      if (record && due(record)) await refresh(record);
    },
    async refreshDue() {
      const soon = new Date(deps.clock.now().getTime() + ahead);
      let refreshed = 0;
      for (const record of await deps.integrations.dueForRefresh(soon, 100)) {
        try {
          const after = await refresh(record);
          if (after.refreshedAt && after.refreshedAt.getTime() !== record.refreshedAt?.getTime()) refreshed++;
        } catch (error) {
          // One refused refresh (revoked grant) must not stop the others; the person reconnects.
          deps.logger?.warn(
            {
              integrationId: record.id,
              provider: record.provider,
              error: isDomainError(error) ? error.message : String(error),
            },
            'integration token refresh failed',
          );
        }
      }
      return refreshed;
    },
  };
}
