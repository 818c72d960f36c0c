import type { PersonalAccessToken } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import type { Action, Authorization, Resource } from '../authz/ports/authorization';
import { DomainError } from '../errors';

export const tokenResource = (principal: Principal, token?: PersonalAccessToken): Resource => ({
  kind: 'personal_access_token',
  ...(token ? { id: token.id, ownerId: token.ownerId } : { ownerId: principal.userId }),
  tenantId: principal.tenantId,
});

/** Asks the Authorization port; a refusal is `FORBIDDEN` with the action named. */
export async function authorizeToken(
  authorization: Authorization,
  principal: Principal,
  action: Action,
  token?: PersonalAccessToken,
): Promise<void> {
  const decision = await authorization.check(principal, action, tokenResource(principal, token));
  if (!decision.allowed) {
    throw new DomainError('FORBIDDEN', `You may not ${action} personal access tokens.`, { action });
  }
}

/** Someone else's token is reported as missing: its existence is not revealed. */
export const tokenNotFound = (id: string) =>
  new DomainError('PERSONAL_ACCESS_TOKEN_NOT_FOUND', `You have no personal access token ${id}.`, { tokenId: id });
