import { decodeJwt } from 'jose';
import { z } from 'zod';

/** The claims of an access or ID token worth showing a person (any issuer; all optional). */
const ZShownClaims = z.looseObject({
  iss: z.string().optional(),
  sub: z.string().optional(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  email: z.string().optional(),
  exp: z.number().optional(),
  roles: z.array(z.string()).optional(),
  tenant: z.string().optional(),
});
export type ShownClaims = z.infer<typeof ZShownClaims>;

/** The claims of a JWT, or null for an opaque token (a personal access token, say). Never verifies. */
export function claimsOf(token: string): ShownClaims | null {
  try {
    const parsed = ZShownClaims.safeParse(decodeJwt(token));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** "Alice Doe (alice)", "alice", or null. */
export function displayName(claims: ShownClaims | null): string | null {
  if (!claims) return null;
  const user = claims.preferred_username ?? claims.sub;
  if (claims.name && user && claims.name !== user) return `${claims.name} (${user})`;
  return claims.name ?? user ?? null;
}
