import { DomainError } from '@volundr/core/errors';

/** Tokens longer than this are refused before any parsing (a JWT with a few roles is ~1-2 KB). */
export const MAX_TOKEN_LENGTH = 16_384;

/**
 * The bearer token of an `Authorization` header; `null` when no header was sent. Any other
 * scheme, or an empty/oversized token, is an authentication failure rather than anonymity.
 */
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined || authorization.trim() === '') return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!match?.[1]) {
    throw new DomainError('UNAUTHENTICATED', 'authorization header must be "Bearer <token>"');
  }
  if (match[1].length > MAX_TOKEN_LENGTH) {
    throw new DomainError('UNAUTHENTICATED', `bearer token is longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  return match[1];
}
