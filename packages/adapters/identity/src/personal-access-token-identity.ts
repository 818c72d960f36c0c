import type { Principal } from '@volundr/contracts/principal';
import type { Credentials, Identity } from '@volundr/core/identity/ports/identity';
import { bearerToken } from './bearer-token';

export const PERSONAL_ACCESS_TOKEN_PREFIX = 'vpat_';

export interface VerifiedToken {
  principal: Principal;
  sessionId: string | null;
}

/**
 * Personal access tokens (`Bearer vpat_…`) as an Identity: anything else is not its business
 * (null), so it goes first in a composite before the OIDC adapter. A token scoped to a session
 * yields a principal with `sessionScope`, which authorization confines to that session.
 */
export function createPersonalAccessTokenIdentity(verify: (token: string) => Promise<VerifiedToken>): Identity {
  return {
    async authenticate(credentials: Credentials): Promise<Principal | null> {
      const token = bearerToken(credentials.authorization);
      if (!token?.startsWith(PERSONAL_ACCESS_TOKEN_PREFIX)) return null;
      const { principal, sessionId } = await verify(token);
      return sessionId ? { ...principal, sessionScope: sessionId } : principal;
    },
  };
}
