import type { PersonalAccessToken } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import { authorizeToken } from './personal-access-token-access';
import type { PersonalAccessTokens } from './ports/personal-access-tokens';

export interface ListPersonalAccessTokensDeps {
  tokens: PersonalAccessTokens;
  authorization: Authorization;
}

/** The principal's own tokens, newest first (tokens are personal: nobody lists another's). */
export const listPersonalAccessTokens =
  (deps: ListPersonalAccessTokensDeps) =>
  async (principal: Principal, options: { includeRevoked?: boolean } = {}): Promise<PersonalAccessToken[]> => {
    await authorizeToken(deps.authorization, principal, 'list');
    return deps.tokens.listForOwner(principal.userId, { includeRevoked: options.includeRevoked ?? false });
  };
