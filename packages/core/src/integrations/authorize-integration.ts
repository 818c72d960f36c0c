import { type IntegrationAuthorization, ZAuthorizeIntegrationInput } from '@volundr/contracts/integrations';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import { DomainError } from '../errors';
import type { RandomTokens } from '../identity/ports/random-tokens';
import { validateInput } from '../sessions/validate-input';
import type { Clock } from '../shared/ports/clock';
import { integrationProvider } from './connect-integration';
import { authorizeIntegration, sha256Hex } from './integration-access';
import type { GitProviders } from './ports/git-providers';
import type { IntegrationRecords } from './ports/integration-records';

const STATE_TTL_MS = 10 * 60 * 1000;

/**
 * Starts an OAuth connection: a random `state` bound to the principal and the provider (only
 * its hash is stored, for ten minutes, single use) and the provider's authorize URL. The
 * browser goes there; the provider sends it back to the redirect URI with `code` and `state`,
 * which `connectIntegration` finishes.
 */
export const authorizeIntegrationOAuth =
  (deps: {
    integrations: IntegrationRecords;
    providers: GitProviders;
    authorization: Authorization;
    clock: Clock;
    random: RandomTokens;
    /** The web app's callback page (used unless the instance configures its own). */
    defaultRedirectUri: string;
  }) =>
  async (principal: Principal, rawInput: { provider: string }): Promise<IntegrationAuthorization> => {
    const input = validateInput(ZAuthorizeIntegrationInput, rawInput, 'integration authorization');
    await authorizeIntegration(deps.authorization, principal, 'create');
    const provider = integrationProvider(deps.providers, input.provider);
    const oauth = deps.providers.oauth(provider.name);
    if (!oauth)
      throw new DomainError(
        'BAD_REQUEST',
        `provider: "${provider.name}" has no OAuth application configured; connect with a token`,
      );
    const state = deps.random.base62(43);
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
    const redirectUri = oauth.redirectUri ?? deps.defaultRedirectUri;
    await deps.integrations.saveOAuthState({
      stateHash: await sha256Hex(state),
      ownerId: principal.userId,
      tenantId: principal.tenantId,
      provider: provider.name,
      redirectUri,
      expiresAt,
      createdAt: now,
    });
    return { url: oauth.authorizeUrl({ state, redirectUri }), state, redirectUri, expiresAt: expiresAt.toISOString() };
  };
