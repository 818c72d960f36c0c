import { PERSONAL_ACCESS_TOKEN_PREFIX } from '@volundr/contracts/identity';
import type { RandomTokens } from './ports/random-tokens';

/** 40 base62 characters ≈ 238 bits: unguessable, and short enough to paste. */
const SECRET_LENGTH = 40;
/** `vpat_` and 7 characters: enough for a person to tell tokens apart, useless to an attacker. */
const DISPLAY_PREFIX_LENGTH = PERSONAL_ACCESS_TOKEN_PREFIX.length + 7;

export const newPersonalAccessTokenValue = (random: RandomTokens): string =>
  `${PERSONAL_ACCESS_TOKEN_PREFIX}${random.base62(SECRET_LENGTH)}`;

export const displayPrefixOf = (token: string): string => token.slice(0, DISPLAY_PREFIX_LENGTH);

/**
 * sha256 (hex) of the token, the only form stored. A plain hash (no salt, no slow KDF) is
 * enough for a 238-bit random secret and lets a token be found by its hash with an index.
 */
export async function hashPersonalAccessToken(token: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
