import { createHash, timingSafeEqual } from 'node:crypto';

// Hashing both sides first gives equal-length buffers, so the comparison time says nothing
// about the expected value (not even its length).
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export const constantTimeEquals = (actual: string, expected: string): boolean =>
  timingSafeEqual(digest(actual), digest(expected));

/**
 * Does an `Authorization` header carry `Basic <token>`? As ttyd, the token is compared as sent
 * (base64 of `user:pass`), not decoded.
 */
export function basicAuthMatches(header: string | undefined, token: string): boolean {
  if (header === undefined) return false;
  const match = /^Basic\s+(\S+)\s*$/i.exec(header);
  return match !== null && constantTimeEquals(match[1] ?? '', token);
}
