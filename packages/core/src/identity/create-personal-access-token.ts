import {
  type CreatedPersonalAccessToken,
  type CreatePersonalAccessTokenInput,
  ZCreatePersonalAccessTokenInput,
} from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import { validateInput } from '../sessions/validate-input';
import type { Clock } from '../shared/ports/clock';
import type { Ids } from '../shared/ports/ids';
import { authorizeToken } from './personal-access-token-access';
import { displayPrefixOf, hashPersonalAccessToken, newPersonalAccessTokenValue } from './personal-access-token-secret';
import type { PersonalAccessTokens } from './ports/personal-access-tokens';
import type { RandomTokens } from './ports/random-tokens';

export interface CreatePersonalAccessTokenDeps {
  tokens: PersonalAccessTokens;
  authorization: Authorization;
  ids: Ids;
  clock: Clock;
  random: RandomTokens;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Mints a personal access token for the principal. The token is in the answer this once; only
 * its sha256 is stored. `sessionId` (not part of the API input) scopes a token to one session,
 * for that session's broker: the caller must already have authorized the session.
 */
export const createPersonalAccessToken =
  (deps: CreatePersonalAccessTokenDeps) =>
  async (
    principal: Principal,
    rawInput: CreatePersonalAccessTokenInput,
    options: { sessionId?: string } = {},
  ): Promise<CreatedPersonalAccessToken> => {
    const input = validateInput(ZCreatePersonalAccessTokenInput, rawInput, 'personal access token');
    await authorizeToken(deps.authorization, principal, 'create');
    const token = newPersonalAccessTokenValue(deps.random);
    const now = deps.clock.now();
    const personalAccessToken = await deps.tokens.insert({
      id: deps.ids.next(),
      ownerId: principal.userId,
      name: input.name,
      tokenHash: await hashPersonalAccessToken(token),
      tokenPrefix: displayPrefixOf(token),
      sessionId: options.sessionId ?? null,
      expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS),
      at: now,
    });
    return { token, personalAccessToken };
  };
