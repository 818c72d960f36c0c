import {
  type ConnectIntegrationInput,
  type Integration,
  ZConnectIntegrationInput,
} from '@volundr/contracts/integrations';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import type { CredentialChanges } from '../credentials/ports/credential-changes';
import type { CredentialRecords } from '../credentials/ports/credential-records';
import type { SecretStore } from '../credentials/ports/secret-store';
import { DomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import type { Clock } from '../shared/ports/clock';
import type { Ids } from '../shared/ports/ids';
import { authorizeIntegration, integrationCredentialName, sha256Hex } from './integration-access';
import { integrationView } from './integration-view';
import type { GitProviders, TokenSet } from './ports/git-providers';
import type { IntegrationRecords } from './ports/integration-records';
import { storeIntegrationToken } from './store-integration-token';

export interface ConnectIntegrationDeps {
  integrations: IntegrationRecords;
  credentials: CredentialRecords;
  store: SecretStore;
  providers: GitProviders;
  authorization: Authorization;
  clock: Clock;
  ids: Ids;
  changes?: CredentialChanges;
}

/** A configured GitHub/GitLab instance by name, or a BAD_REQUEST listing those that exist. */
export function integrationProvider(providers: GitProviders, name: string) {
  const all = providers.list().filter((p) => p.kind === 'github' || p.kind === 'gitlab');
  const found = all.find((p) => p.name === name);
  if (!found)
    throw new DomainError(
      'BAD_REQUEST',
      `provider: no GitHub or GitLab instance named "${name}" is configured${all.length ? ` (configured: ${all.map((p) => p.name).join(', ')})` : ''}`,
      { provider: name },
    );
  return found as typeof found & { kind: 'github' | 'gitlab' };
}

/**
 * Connects the principal to a provider instance with a personal token, or finishes an OAuth
 * authorization (the `state` must be the principal's own, unexpired and unused). The token is
 * checked with the provider (who it belongs to) before anything is stored. Reconnecting
 * replaces the previous token.
 */
export const connectIntegration =
  (deps: ConnectIntegrationDeps) =>
  async (principal: Principal, rawInput: ConnectIntegrationInput): Promise<Integration> => {
    const input = validateInput(ZConnectIntegrationInput, rawInput, 'integration');
    await authorizeIntegration(deps.authorization, principal, 'create');
    const provider = integrationProvider(deps.providers, input.provider);
    const now = deps.clock.now();
    let tokens: TokenSet;
    if (input.method === 'token') {
      tokens = { accessToken: input.token, refreshToken: null, expiresAt: null, scopes: [] };
    } else {
      const oauth = deps.providers.oauth(provider.name);
      if (!oauth)
        throw new DomainError(
          'BAD_REQUEST',
          `provider: "${provider.name}" has no OAuth application configured; connect with a token`,
        );
      const state = await deps.integrations.takeOAuthState(await sha256Hex(input.state), now);
      if (
        !state ||
        state.ownerId !== principal.userId ||
        state.tenantId !== principal.tenantId ||
        state.provider !== provider.name ||
        state.expiresAt.getTime() <= now.getTime()
      )
        throw new DomainError(
          'BAD_REQUEST',
          'state: this authorization is unknown, expired, already used or not yours; start connecting again',
        );
      tokens = await oauth.exchange(input.code, state.redirectUri);
    }
    const who = await deps.providers.account(provider.name, tokens.accessToken);
    const credentialName = integrationCredentialName(provider.name);
    const existing = await deps.integrations.byProvider(principal.userId, provider.name);
    await storeIntegrationToken(
      deps,
      {
        ownerId: principal.userId,
        tenantId: principal.tenantId,
        provider: provider.name,
        host: provider.host,
        protocol: provider.webUrl.startsWith('http://') ? 'http' : 'https',
        credentialName,
        gitUsername: deps.providers.gitUsername(provider.name),
      },
      tokens,
      null,
    );
    const record = await deps.integrations.upsert({
      id: existing?.id ?? deps.ids.next(),
      ownerId: principal.userId,
      tenantId: principal.tenantId,
      provider: provider.name,
      kind: provider.kind,
      enabled: true,
      authMethod: input.method,
      account: who.account,
      credentialName,
      scopes: tokens.scopes.length ? tokens.scopes : who.scopes,
      expiresAt: tokens.expiresAt,
      refreshedAt: null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    });
    await deps.changes?.publish({
      ownerId: record.ownerId,
      tenantId: record.tenantId,
      name: credentialName,
      kind: 'updated',
    });
    return integrationView(record);
  };
