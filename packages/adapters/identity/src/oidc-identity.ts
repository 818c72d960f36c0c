import type { Principal } from '@volundr/contracts/principal';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { Credentials, Identity } from '@volundr/core/identity/ports/identity';
import type { Clock } from '@volundr/core/shared/ports/clock';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { z } from 'zod';
import { bearerToken } from './bearer-token';
import { type MapClaimsConfig, mapClaims, resolveClaimMapping, ZClaimMappingOptions } from './claim-mapping';
import { toDomainError } from './jose-errors';
import { discover } from './oidc-discovery';
import { ZRoleMap } from './role-mapping';

/**
 * Asymmetric JWS algorithms only. `none` and the HMAC family are not representable here, so no
 * configuration can reintroduce the "HS256 signed with the public key" confusion.
 */
export const ZAsymmetricAlgorithm = z.enum([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);
export type AsymmetricAlgorithm = z.infer<typeof ZAsymmetricAlgorithm>;

export const ZOidcIdentityOptions = z.strictObject({
  /** Exactly as the IdP writes it in `iss` (and its discovery document). */
  issuer: z.url(),
  /** Accepted `aud` values: a token must name at least one. */
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** Skip discovery and use this JWKS. */
  jwksUri: z.url().optional(),
  claims: ZClaimMappingOptions.default({ preset: 'generic' }),
  roleMap: ZRoleMap.default({}),
  /** Tenant for tokens that carry no tenant claim. */
  defaultTenant: z.string().min(1).max(255).default('default'),
  algorithms: z.array(ZAsymmetricAlgorithm).min(1).default(ZAsymmetricAlgorithm.options),
  clockSkewSeconds: z.number().int().min(0).max(300).default(30),
  /** After a JWKS fetch, an unknown `kid` does not trigger another fetch for this long. */
  jwksRefetchCooldownSeconds: z.number().min(0).max(3600).default(30),
  /** A JWKS older than this is refetched before use. */
  jwksCacheMaxAgeSeconds: z.number().min(1).max(86_400).default(600),
  httpTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  /**
   * Verified tokens remembered per process (0: none), so a client polling with one token pays
   * for its signature once. An entry lasts until the token expires, and never longer than
   * `jwksCacheMaxAgeSeconds`: a key removed from the JWKS stops working within that time, as
   * it does without this cache.
   */
  verifiedTokenCacheSize: z.number().int().min(0).max(100_000).default(1_000),
});
export type OidcIdentityOptions = z.input<typeof ZOidcIdentityOptions>;

export interface OidcIdentityDeps {
  /** Time used for `exp`/`nbf` checks (tests); the system clock otherwise. */
  clock?: Clock;
}

export interface OidcIdentity extends Identity {
  /** Runs discovery and loads the JWKS now, so the first request does not pay for it. */
  warmUp(): Promise<void>;
}

/**
 * Validates bearer JWTs issued by any OpenID Connect provider: signature against the issuer's
 * JWKS (cached; refetched on an unknown `kid` at most once per cooldown), algorithm allowlist,
 * `iss`, `aud`, `exp`, `nbf` with a small skew; then maps claims to a Principal.
 */
export function createOidcIdentity(input: OidcIdentityOptions, deps: OidcIdentityDeps = {}): OidcIdentity {
  const options = ZOidcIdentityOptions.parse(input);
  const claimsConfig: MapClaimsConfig = {
    mapping: resolveClaimMapping(options.claims),
    roleMap: options.roleMap,
    defaultTenant: options.defaultTenant,
  };
  const jwksOptions = {
    cooldownDuration: options.jwksRefetchCooldownSeconds * 1000,
    cacheMaxAge: options.jwksCacheMaxAgeSeconds * 1000,
    timeoutDuration: options.httpTimeoutMs,
  };

  let keySet: JWTVerifyGetKey | null = options.jwksUri
    ? createRemoteJWKSet(new URL(options.jwksUri), jwksOptions)
    : null;
  let pendingDiscovery: Promise<JWTVerifyGetKey> | null = null;
  let lastFailure: { at: number; error: unknown } | null = null;

  // Discovery is lazy so the API starts while the IdP is down; a failure is remembered for one
  // cooldown so a burst of requests does not become a burst of discovery calls.
  const resolveKeySet = (): Promise<JWTVerifyGetKey> => {
    if (keySet) return Promise.resolve(keySet);
    if (lastFailure && Date.now() - lastFailure.at < jwksOptions.cooldownDuration) {
      return Promise.reject(lastFailure.error);
    }
    pendingDiscovery ??= discover(options.issuer, options.httpTimeoutMs)
      .then((document) => {
        keySet = createRemoteJWKSet(new URL(document.jwks_uri), jwksOptions);
        lastFailure = null;
        return keySet;
      })
      .catch((error: unknown) => {
        lastFailure = { at: Date.now(), error };
        throw error;
      })
      .finally(() => {
        pendingDiscovery = null;
      });
    return pendingDiscovery;
  };

  const verified = new VerifiedTokens(options.verifiedTokenCacheSize);
  const nowMs = () => (deps.clock ? deps.clock.now().getTime() : Date.now());

  const verify = async (token: string): Promise<Principal> => {
    const known = verified.get(token, nowMs());
    if (known) return known;
    try {
      const getKey = keySet ?? (await resolveKeySet());
      const { payload } = await jwtVerify(token, getKey, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: options.algorithms,
        clockTolerance: options.clockSkewSeconds,
        requiredClaims: ['exp'],
        ...(deps.clock ? { currentDate: deps.clock.now() } : {}),
      });
      const principal = mapClaims(payload as Record<string, unknown>, claimsConfig);
      const now = nowMs();
      const until = Math.min(
        (payload.exp as number) * 1000 + options.clockSkewSeconds * 1000,
        now + options.jwksCacheMaxAgeSeconds * 1000,
      );
      verified.set(token, principal, until);
      return principal;
    } catch (error) {
      throw toDomainError(error);
    }
  };

  return {
    async authenticate(credentials: Credentials) {
      const token = bearerToken(credentials.authorization);
      return token === null ? null : verify(token);
    },
    async warmUp() {
      const getKey = await resolveKeySet();
      const remote = getKey as JWTVerifyGetKey & { reload?: () => Promise<void> };
      try {
        await remote.reload?.();
      } catch (error) {
        throw toDomainError(error);
      }
    },
  };
}

/** Principals of verified tokens until a deadline, the least recently used dropped first. */
class VerifiedTokens {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();
  constructor(private readonly capacity: number) {}

  get(token: string, now: number): Principal | null {
    const entry = this.entries.get(token);
    if (!entry) return null;
    this.entries.delete(token);
    if (now >= entry.until) return null;
    this.entries.set(token, entry);
    // A copy: a caller that changes its principal does not change the next request's.
    return { ...entry.principal, roles: [...entry.principal.roles] };
  }

  set(token: string, principal: Principal, until: number) {
    if (this.capacity === 0) return;
    this.entries.delete(token);
    this.entries.set(token, { principal: { ...principal, roles: [...principal.roles] }, until });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** `{ use: "@volundr/adapter-identity/oidc-identity#oidcIdentity", issuer, audience, ... }` */
export const oidcIdentity = defineAdapter({
  port: 'identity',
  options: ZOidcIdentityOptions,
  create: (options): OidcIdentity => createOidcIdentity(options),
});
