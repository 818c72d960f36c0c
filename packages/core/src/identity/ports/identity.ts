import type { Principal } from '@volundr/contracts/principal';

/** What the Identity port sees of an incoming request. */
export interface Credentials {
  /** The raw `Authorization` header value, if any. */
  authorization?: string | undefined;
  /** Lower-cased request headers (for trusted-proxy adapters). */
  headers: Readonly<Record<string, string | undefined>>;
  /** The peer address the request came from (for trusted-proxy adapters). */
  remoteAddress?: string | undefined;
}

/**
 * Validates credentials and says who is asking. Returns `null` when no credentials were
 * presented; throws `DomainError('UNAUTHENTICATED')` when credentials were presented but are
 * not acceptable (bad signature, expired, wrong issuer/audience, unknown key...).
 */
export interface Identity {
  authenticate(credentials: Credentials): Promise<Principal | null>;
}
