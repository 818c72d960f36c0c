import type { PersonalAccessToken } from '@volundr/contracts/identity';
import { DomainError } from '@volundr/core/errors';
import type { PersonalAccessTokens } from '@volundr/core/identity/ports/personal-access-tokens';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Drizzle } from '../client';
import { personalAccessTokens } from '../schema/identity';
import { isUniqueViolation } from './pg-errors';
import { iso, isoOrNull } from './timestamps';

/** Everything but `token_hash`: the hash never leaves this file except as a lookup key. */
const columns = {
  id: personalAccessTokens.id,
  ownerId: personalAccessTokens.ownerId,
  name: personalAccessTokens.name,
  tokenPrefix: personalAccessTokens.tokenPrefix,
  sessionId: personalAccessTokens.sessionId,
  expiresAt: personalAccessTokens.expiresAt,
  lastUsedAt: personalAccessTokens.lastUsedAt,
  revokedAt: personalAccessTokens.revokedAt,
  createdAt: personalAccessTokens.createdAt,
};

const toToken = (row: Pick<typeof personalAccessTokens.$inferSelect, keyof typeof columns>): PersonalAccessToken => ({
  ...row,
  expiresAt: isoOrNull(row.expiresAt),
  lastUsedAt: isoOrNull(row.lastUsedAt),
  revokedAt: isoOrNull(row.revokedAt),
  createdAt: iso(row.createdAt),
});

/** The PersonalAccessTokens port on `personal_access_tokens`. */
export function createPersonalAccessTokensRepository(db: Drizzle): PersonalAccessTokens {
  const byId = async (id: string) => {
    const [row] = await db.select(columns).from(personalAccessTokens).where(eq(personalAccessTokens.id, id));
    return row ? toToken(row) : null;
  };

  return {
    byId,

    async insert(token) {
      try {
        const [row] = await db
          .insert(personalAccessTokens)
          .values({
            id: token.id,
            ownerId: token.ownerId,
            name: token.name,
            tokenHash: token.tokenHash,
            tokenPrefix: token.tokenPrefix,
            sessionId: token.sessionId,
            expiresAt: token.expiresAt,
            createdAt: token.at,
          })
          .returning(columns);
        return toToken(row!);
      } catch (error) {
        if (isUniqueViolation(error, 'personal_access_tokens_owner_name_key')) {
          throw new DomainError(
            'PERSONAL_ACCESS_TOKEN_NAME_TAKEN',
            `You already have a personal access token named "${token.name}"; pick another name or revoke that one.`,
            { name: token.name },
          );
        }
        throw error;
      }
    },

    async byHash(tokenHash) {
      const [row] = await db
        .select(columns)
        .from(personalAccessTokens)
        .where(eq(personalAccessTokens.tokenHash, tokenHash));
      return row ? toToken(row) : null;
    },

    async listForOwner(ownerId, options) {
      const rows = await db
        .select(columns)
        .from(personalAccessTokens)
        .where(
          and(
            eq(personalAccessTokens.ownerId, ownerId),
            options.includeRevoked ? undefined : isNull(personalAccessTokens.revokedAt),
          ),
        )
        .orderBy(desc(personalAccessTokens.createdAt), desc(personalAccessTokens.id));
      return rows.map(toToken);
    },

    async revoke(id, at) {
      const [row] = await db
        .update(personalAccessTokens)
        .set({ revokedAt: at })
        .where(and(eq(personalAccessTokens.id, id), isNull(personalAccessTokens.revokedAt)))
        .returning(columns);
      return row ? toToken(row) : byId(id);
    },

    async touch(id, at) {
      await db.update(personalAccessTokens).set({ lastUsedAt: at }).where(eq(personalAccessTokens.id, id));
    },
  };
}
