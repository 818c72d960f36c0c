import type { PersonalAccessToken } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import type { Clock } from '../shared/ports/clock';
import { authorizeToken, tokenNotFound } from './personal-access-token-access';
import type { PersonalAccessTokens } from './ports/personal-access-tokens';

export interface RevokePersonalAccessTokenDeps {
  tokens: PersonalAccessTokens;
  authorization: Authorization;
  clock: Clock;
}

/** Revokes one of the principal's tokens; revoking a revoked token changes nothing. */
export const revokePersonalAccessToken =
  (deps: RevokePersonalAccessTokenDeps) =>
  async (principal: Principal, id: string): Promise<PersonalAccessToken> => {
    const token = await deps.tokens.byId(id);
    if (!token || token.ownerId !== principal.userId) throw tokenNotFound(id);
    await authorizeToken(deps.authorization, principal, 'delete', token);
    if (token.revokedAt) return token;
    const revoked = await deps.tokens.revoke(id, deps.clock.now());
    if (!revoked) throw tokenNotFound(id);
    return revoked;
  };
