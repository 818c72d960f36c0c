import type { PersonalAccessToken } from '@volundr/contracts/identity';

export interface NewPersonalAccessToken {
  id: string;
  ownerId: string;
  name: string;
  /** sha256 (hex) of the token; the token itself is never stored. */
  tokenHash: string;
  tokenPrefix: string;
  sessionId: string | null;
  expiresAt: Date | null;
  at: Date;
}

/** The personal access tokens repository. Reads never return the hash. */
export interface PersonalAccessTokens {
  /** Throws `PERSONAL_ACCESS_TOKEN_NAME_TAKEN` when the owner has a live token of that name. */
  insert(token: NewPersonalAccessToken): Promise<PersonalAccessToken>;
  byId(id: string): Promise<PersonalAccessToken | null>;
  /** The token whose hash this is, revoked and expired ones included (the caller decides). */
  byHash(tokenHash: string): Promise<PersonalAccessToken | null>;
  /** The owner's tokens, newest first; revoked ones only when asked. */
  listForOwner(ownerId: string, options: { includeRevoked: boolean }): Promise<PersonalAccessToken[]>;
  /** Sets `revoked_at` if not revoked yet; returns the token as stored, null when there is none. */
  revoke(id: string, at: Date): Promise<PersonalAccessToken | null>;
  /** Records a use. */
  touch(id: string, at: Date): Promise<void>;
}
