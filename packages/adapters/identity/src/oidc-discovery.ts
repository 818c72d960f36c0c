import { DomainError } from '@volundr/core/errors';
import { z } from 'zod';

/** The part of an OpenID Provider's metadata this adapter uses. */
export const ZDiscoveryDocument = z.object({
  issuer: z.string().min(1),
  jwks_uri: z.url(),
});
export type DiscoveryDocument = z.infer<typeof ZDiscoveryDocument>;

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * Fetches `<issuer>/.well-known/openid-configuration` and checks it describes this issuer
 * (OpenID Connect Discovery §4.3: the `issuer` value must be identical to the one configured).
 */
export async function discover(issuer: string, timeoutMs: number): Promise<DiscoveryDocument> {
  const url = discoveryUrl(issuer);
  let body: unknown;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new DomainError('DEPENDENCY_UNAVAILABLE', `OIDC discovery failed at ${url}: ${(error as Error).message}`);
  }
  const parsed = ZDiscoveryDocument.safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new DomainError('DEPENDENCY_UNAVAILABLE', `OIDC discovery document at ${url} is invalid (${fields})`);
  }
  if (parsed.data.issuer !== issuer) {
    throw new DomainError(
      'DEPENDENCY_UNAVAILABLE',
      `OIDC discovery at ${url} names issuer ${parsed.data.issuer}, expected ${issuer}`,
    );
  }
  return parsed.data;
}
