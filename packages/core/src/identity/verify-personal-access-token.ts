import { ZPersonalAccessTokenValue } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import { DomainError } from '../errors';
import type { Clock } from '../shared/ports/clock';
import { hashPersonalAccessToken } from './personal-access-token-secret';
import type { PersonalAccessTokens } from './ports/personal-access-tokens';
import type { Tenants } from './ports/tenants';
import type { Users } from './ports/users';

export interface VerifyPersonalAccessTokenDeps {
  tokens: PersonalAccessTokens;
  users: Users;
  tenants: Tenants;
  clock: Clock;
}

export interface VerifiedPersonalAccessToken {
  /** Who the token acts for: its owner, in their home tenant (oldest membership), with that role. */
  principal: Principal;
  tokenId: string;
  /** Set when the token may act only for this session. */
  sessionId: string | null;
}

/** `last_used_at` is written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;

const refuse = (message: string) => new DomainError('UNAUTHENTICATED', message);

/**
 * Checks a presented `vpat_…` token: known (by its hash), not revoked, not expired, owner active
 * and a member of a tenant. Every refusal is `UNAUTHENTICATED` naming why. Records the use.
 */
export const verifyPersonalAccessToken =
  (deps: VerifyPersonalAccessTokenDeps) =>
  async (presented: string): Promise<VerifiedPersonalAccessToken> => {
    if (!ZPersonalAccessTokenValue.safeParse(presented).success) {
      throw refuse('This is not a well-formed personal access token (vpat_…).');
    }
    const token = await deps.tokens.byHash(await hashPersonalAccessToken(presented));
    if (!token) throw refuse('Unknown personal access token.');
    const now = deps.clock.now();
    if (token.revokedAt) throw refuse(`The personal access token "${token.name}" was revoked.`);
    if (token.expiresAt && Date.parse(token.expiresAt) <= now.getTime()) {
      throw refuse(`The personal access token "${token.name}" expired at ${token.expiresAt}; create a new one.`);
    }
    const user = await deps.users.byId(token.ownerId);
    if (user?.status !== 'active') {
      throw refuse(`The owner of the personal access token "${token.name}" is not an active user.`);
    }
    const [home] = await deps.tenants.membershipsOf(user.id);
    if (!home) throw refuse(`The owner of the personal access token "${token.name}" belongs to no tenant.`);
    if (!token.lastUsedAt || now.getTime() - Date.parse(token.lastUsedAt) >= TOUCH_EVERY_MS) {
      await deps.tokens.touch(token.id, now);
    }
    return {
      principal: {
        userId: user.id,
        email: user.email,
        name: user.displayName,
        tenantId: home.tenantId,
        roles: [home.role],
      },
      tokenId: token.id,
      sessionId: token.sessionId,
    };
  };
