import { randomBytes } from 'node:crypto';
import { type Role, ZRole } from '@volundr/contracts/principal';
import { DomainError } from '@volundr/core/errors';
import { importJWK, SignJWT } from 'jose';
import { z } from 'zod';
import { EMBEDDED_AUDIENCE, volundrAccessTokenClaims } from './access-token-claims';
import { findDevUser, ZUsername } from './dev-users';
import { providerFile, readJsonFile } from './identity-files';
import { readSigningKeys } from './signing-keys';

/** `client_id` of dev tokens, so logs and audits can tell them from interactive logins. */
export const DEV_TOKEN_CLIENT_ID = 'volundr-dev-token';

const ZProviderFile = z.object({ issuer: z.url() });

export const ZMintDevTokenInput = z.strictObject({
  dataDir: z.string().min(1),
  /**
   * The embedded provider's issuer (`http://127.0.0.1:8080/oidc`), as the API validates it.
   * Default: the issuer the provider last started with on this data dir.
   */
  issuer: z.url().optional(),
  user: ZUsername,
  /** Overrides the user's stored roles (or gives roles to a name that is not a dev user). */
  roles: z.array(ZRole).min(1).optional(),
  tenant: z.string().min(1).max(255).optional(),
  ttlSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 60 * 60)
    .default(60 * 60),
});
export type MintDevTokenInput = z.input<typeof ZMintDevTokenInput>;

/**
 * Signs an access token with the embedded provider's current key, shaped exactly like the
 * provider's own (`typ: at+jwt`, `aud: volundr`, `sub email name preferred_username roles
 * tenant client_id jti`). For scripts and tests in local mode; refuses when `dataDir` has no
 * embedded identity. A name that is not a dev user gets `<name>@localhost` and developer.
 */
export async function mintDevToken(input: MintDevTokenInput): Promise<string> {
  const options = ZMintDevTokenInput.parse(input);
  const [key] = await readSigningKeys(options.dataDir);
  if (!key) throw new Error('unreachable: readSigningKeys returns at least one key');
  const issuer = options.issuer ?? (await readJsonFile(providerFile(options.dataDir), ZProviderFile))?.issuer;
  if (!issuer) {
    throw new DomainError('CONFIG_INVALID', `no issuer given and ${providerFile(options.dataDir)} does not name one`);
  }
  const stored = await findDevUser(options.dataDir, options.user);
  const roles: Role[] = options.roles ?? stored?.roles ?? ['volundr:developer'];
  const claims = volundrAccessTokenClaims({
    username: options.user,
    email: stored ? stored.email : `${options.user}@localhost`,
    name: stored ? stored.name : options.user,
    tenant: options.tenant ?? stored?.tenant ?? 'default',
    roles,
  });
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims, jti: randomBytes(16).toString('base64url'), client_id: DEV_TOKEN_CLIENT_ID })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: key.kid })
    .setSubject(options.user)
    .setIssuer(issuer)
    .setAudience(EMBEDDED_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + options.ttlSeconds)
    .sign(await importJWK(key, 'RS256'));
}
