import type { Role } from '@volundr/contracts/principal';

/** The audience of every access token the embedded provider issues; the OIDC adapter expects it. */
export const EMBEDDED_AUDIENCE = 'volundr';
/** The resource indicator for the Volundr API (RFC 8707); clients need not send it, it is the default. */
export const EMBEDDED_RESOURCE = 'urn:volundr:api';

export interface VolundrClaimsSource {
  username: string;
  email: string | null;
  name: string | null;
  tenant: string;
  roles: readonly Role[];
}

/**
 * The claims Volundr adds to its access tokens, beside the standard `iss sub aud exp iat jti
 * client_id scope`. One function for the provider and for dev tokens keeps the two identical.
 */
export function volundrAccessTokenClaims(user: VolundrClaimsSource) {
  return {
    email: user.email ?? undefined,
    name: user.name ?? undefined,
    preferred_username: user.username,
    tenant: user.tenant,
    roles: [...user.roles],
  };
}
