import { bearerToken } from '@volundr/adapter-identity/bearer-token';
import { createCompositeIdentity } from '@volundr/adapter-identity/composite-identity';
import { createOidcIdentity } from '@volundr/adapter-identity/oidc-identity';
import { PERSONAL_ACCESS_TOKEN_PREFIX } from '@volundr/adapter-identity/personal-access-token-identity';
import { type Principal, ZPrincipal } from '@volundr/contracts/principal';
import { DomainError } from '@volundr/core/errors';
import type { Credentials, Identity } from '@volundr/core/identity/ports/identity';
import { z } from 'zod';

const ZMe = z.object({ principal: ZPrincipal });
const CACHE_MS = 60_000;

/**
 * Personal access tokens for the gateway, which has no database: asked of the API (`/api/v1/me`)
 * and cached for a minute. JWTs never need this, so chats and terminals opened with them keep
 * working while the API restarts.
 */
function apiVerifiedTokens(apiUrl: () => string | null): Identity {
  const cache = new Map<string, { principal: Principal; until: number }>();
  return {
    async authenticate(credentials: Credentials) {
      const token = bearerToken(credentials.authorization);
      if (!token?.startsWith(PERSONAL_ACCESS_TOKEN_PREFIX)) return null;
      const hit = cache.get(token);
      if (hit && hit.until > Date.now()) return hit.principal;
      const base = apiUrl();
      if (!base)
        throw new DomainError(
          'DEPENDENCY_UNAVAILABLE',
          'The API is restarting; personal access tokens cannot be checked right now.',
        );
      const response = await fetch(`${base}/api/v1/me`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5000),
      });
      if (response.status === 401) throw new DomainError('UNAUTHENTICATED', 'The personal access token was refused.');
      if (!response.ok)
        throw new DomainError('DEPENDENCY_UNAVAILABLE', `The API could not check the token (HTTP ${response.status}).`);
      const { principal } = ZMe.parse(await response.json());
      cache.set(token, { principal, until: Date.now() + CACHE_MS });
      return principal;
    },
  };
}

/** Who is asking at the gateway: JWTs of the embedded issuer (checked here), else PATs via the API. */
export function createGatewayIdentity(publicUrl: string, apiUrl: () => string | null): Identity {
  const issuer = `${publicUrl}/oidc`;
  return createCompositeIdentity([
    apiVerifiedTokens(apiUrl),
    createOidcIdentity({ issuer, audience: 'volundr', jwksUri: `${issuer}/jwks` }),
  ]);
}
