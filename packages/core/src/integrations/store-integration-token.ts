import type { CredentialRecords } from '../credentials/ports/credential-records';
import type { SecretStore } from '../credentials/ports/secret-store';
import type { Clock } from '../shared/ports/clock';
import type { Ids } from '../shared/ports/ids';
import type { TokenSet } from './ports/git-providers';

export interface TokenOwner {
  ownerId: string;
  tenantId: string;
  provider: string;
  host: string;
  /** `https`, or `http` for an instance configured with allowHttp (git matches credentials by it). */
  protocol: 'https' | 'http';
  credentialName: string;
  gitUsername: string;
}

/**
 * Writes an integration's token as its credential: the value into the secret backend and the
 * metadata row (type `oauth_token`, managed by the integration) created or updated. The caller
 * publishes the change once the integration row is updated too, so whoever re-reads the
 * credential then (a session's files) sees it fresh.
 */
export async function storeIntegrationToken(
  deps: { credentials: CredentialRecords; store: SecretStore; clock: Clock; ids: Ids },
  owner: TokenOwner,
  tokens: TokenSet,
  previous: Readonly<Record<string, string>> | null,
): Promise<void> {
  const data: Record<string, string> = {
    access_token: tokens.accessToken,
    username: owner.gitUsername,
  };
  const refreshToken = tokens.refreshToken ?? previous?.refresh_token;
  if (refreshToken) data.refresh_token = refreshToken;
  const location = { ownerId: owner.ownerId, tenantId: owner.tenantId, name: owner.credentialName };
  await deps.store.put(location, data);
  const now = deps.clock.now();
  const existing = await deps.credentials.byName(owner.ownerId, owner.credentialName);
  const record = {
    id: existing?.id ?? deps.ids.next(),
    ownerId: owner.ownerId,
    tenantId: owner.tenantId,
    name: owner.credentialName,
    type: 'oauth_token' as const,
    keys: Object.keys(data).sort(),
    metadata: { provider: owner.provider, host: owner.host, protocol: owner.protocol },
    managedBy: 'integration' as const,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  if (existing) await deps.credentials.update(record);
  else await deps.credentials.insert(record);
}
