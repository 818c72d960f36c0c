import type { Credentials, Identity } from '@volundr/core/identity/ports/identity';

/**
 * Asks each Identity in order; the first to recognise the credentials decides. An adapter
 * returns `null` for credentials that are not its kind (a PAT verifier for a JWT, the proxy
 * adapter for a direct request) and throws for credentials of its kind that are bad, which
 * stops the chain: a rejected `vpat_…` token must not fall through to OIDC.
 */
export function createCompositeIdentity(identities: readonly Identity[]): Identity {
  if (identities.length === 0) throw new Error('createCompositeIdentity needs at least one Identity');
  return {
    async authenticate(credentials: Credentials) {
      for (const identity of identities) {
        const principal = await identity.authenticate(credentials);
        if (principal) return principal;
      }
      return null;
    },
  };
}
