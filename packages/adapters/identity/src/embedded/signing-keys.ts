import { randomUUID } from 'node:crypto';
import { DomainError } from '@volundr/core/errors';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { z } from 'zod';
import { ensureIdentityDir, jwksFile, readJsonFile, writeJsonPrivate } from './identity-files';

/** How many keys stay published: the signing key plus the previous ones, for tokens still in flight. */
export const RETAINED_KEYS = 3;

const ZPrivateRsaJwk = z.looseObject({
  kty: z.literal('RSA'),
  kid: z.string().min(1),
  alg: z.literal('RS256'),
  use: z.literal('sig'),
  n: z.string().min(1),
  e: z.string().min(1),
  d: z.string().min(1),
  p: z.string().min(1),
  q: z.string().min(1),
  dp: z.string().min(1),
  dq: z.string().min(1),
  qi: z.string().min(1),
});
/** `jwks.json`: private keys, newest (the signing key) first. */
const ZSigningKeyFile = z.object({ keys: z.array(ZPrivateRsaJwk).min(1) });
export type PrivateJwk = z.infer<typeof ZPrivateRsaJwk>;

async function newKey(): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return ZPrivateRsaJwk.parse({ ...jwk, kid: `volundr-${randomUUID()}`, alg: 'RS256', use: 'sig' });
}

/** The persisted keys, newest first; throws when the data dir has no embedded identity. */
export async function readSigningKeys(dataDir: string): Promise<PrivateJwk[]> {
  const file = await readJsonFile(jwksFile(dataDir), ZSigningKeyFile);
  if (!file) {
    throw new DomainError(
      'CONFIG_INVALID',
      `${dataDir} has no embedded identity (no ${jwksFile(dataDir)}): start the API in local mode with this data dir first`,
    );
  }
  return file.keys;
}

/** Loads the keys, creating the first one on the first start. */
export async function loadOrCreateSigningKeys(dataDir: string): Promise<PrivateJwk[]> {
  await ensureIdentityDir(dataDir);
  const existing = await readJsonFile(jwksFile(dataDir), ZSigningKeyFile);
  if (existing) return existing.keys;
  const keys = [await newKey()];
  await writeJsonPrivate(jwksFile(dataDir), { keys });
  return keys;
}

/**
 * Adds a new signing key (new `kid`) in front and keeps the previous ones published for
 * verification, up to RETAINED_KEYS. A running provider picks it up on its next start.
 */
export async function rotateSigningKeys(dataDir: string): Promise<{ kid: string; retained: string[] }> {
  const keys = await readSigningKeys(dataDir);
  const fresh = await newKey();
  const next = [fresh, ...keys].slice(0, RETAINED_KEYS);
  await writeJsonPrivate(jwksFile(dataDir), { keys: next });
  return { kid: fresh.kid, retained: next.slice(1).map((key) => key.kid) };
}

/** The public half of each key, as served at the JWKS endpoint. */
export function toPublicJwks(keys: readonly PrivateJwk[]): { keys: JWK[] } {
  return { keys: keys.map(({ kty, kid, alg, use, n, e }) => ({ kty, kid, alg, use, n, e })) };
}
