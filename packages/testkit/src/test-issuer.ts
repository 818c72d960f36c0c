import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

/** Signing algorithms the test issuer keeps a key for. */
export type TestIssuerAlg = 'RS256' | 'ES256';

export interface TestIssuerOptions {
  /** Path appended to the origin to form the issuer (e.g. `/realms/volundr`). Default: none. */
  path?: string;
  /** Default `aud` of signed tokens. Default `volundr`. */
  audience?: string;
  /** Default signing algorithm. Default `RS256`. */
  alg?: TestIssuerAlg;
}

export interface SignOptions {
  /** Which algorithm's current key signs. Default: the issuer's default `alg`. */
  alg?: TestIssuerAlg;
  /** Put this `kid` in the header instead of the signing key's own (e.g. one the JWKS does not list). */
  kid?: string;
  /** Lifetime in seconds from now (ignored when `claims.exp` is given). Default 300. Negative = already expired. */
  expiresIn?: number;
  /** `nbf` as seconds from now (e.g. 600 = not valid for ten minutes). Default: no `nbf`. */
  notBefore?: number;
  /** Override `iss` (default: this issuer). */
  issuer?: string;
  /** Override `aud` (default: the issuer's audience). */
  audience?: string | string[];
  /** Extra protected-header fields (e.g. `typ`). */
  header?: Record<string, unknown>;
}

export interface TestIssuer {
  /** The issuer identifier, e.g. `http://127.0.0.1:43121` (+ path). */
  issuer: string;
  /** Where the JWKS is served. */
  jwksUri: string;
  /** Signs a JWT; `sub` defaults to `test-user`, `iat`/`exp`/`iss`/`aud` are filled in unless given. */
  sign(claims?: JWTPayload, opts?: SignOptions): Promise<string>;
  /** Makes new current keys (new `kid`s); old ones stay in the JWKS unless `dropOld`. */
  rotate(opts?: { dropOld?: boolean }): Promise<void>;
  /** Public JWKs currently published. */
  publicJwks(): JWK[];
  /** How many times each endpoint was requested (to assert caching and refetch limits). */
  readonly requests: { discovery: number; jwks: number };
  close(): Promise<void>;
}

interface KeyEntry {
  kid: string;
  alg: TestIssuerAlg;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function makeKey(alg: TestIssuerAlg): Promise<KeyEntry> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk };
}

/**
 * A real OpenID issuer on 127.0.0.1 for tests: serves discovery and a JWKS over HTTP and signs
 * tokens with keys it generated, so token validation is exercised exactly as against a real IdP.
 */
export async function startTestIssuer(opts: TestIssuerOptions = {}): Promise<TestIssuer> {
  const path = (opts.path ?? '').replace(/\/+$/, '');
  const defaultAlg = opts.alg ?? 'RS256';
  const defaultAudience = opts.audience ?? 'volundr';
  const current = new Map<TestIssuerAlg, KeyEntry>();
  let published: KeyEntry[] = [];
  const requests = { discovery: 0, jwks: 0 };

  const rotate = async ({ dropOld = false }: { dropOld?: boolean } = {}) => {
    const fresh = await Promise.all((['RS256', 'ES256'] as const).map(makeKey));
    for (const key of fresh) current.set(key.alg, key);
    published = dropOld ? fresh : [...fresh, ...published];
  };
  await rotate();

  let issuer = '';
  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === `${path}/.well-known/openid-configuration`) {
      requests.discovery += 1;
      json(res, {
        issuer,
        jwks_uri: `${issuer}/jwks`,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === `${path}/jwks`) {
      requests.jwks += 1;
      json(res, { keys: published.map((k) => k.publicJwk) });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  issuer = `http://127.0.0.1:${port}${path}`;

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    requests,
    publicJwks: () => published.map((k) => k.publicJwk),
    rotate,
    async sign(claims = {}, signOpts = {}) {
      const key = current.get(signOpts.alg ?? defaultAlg);
      if (!key) throw new Error(`no key for ${signOpts.alg}`);
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        iss: signOpts.issuer ?? issuer,
        aud: signOpts.audience ?? defaultAudience,
        sub: 'test-user',
        iat: now,
        exp: now + (signOpts.expiresIn ?? 300),
        ...(signOpts.notBefore === undefined ? {} : { nbf: now + signOpts.notBefore }),
        ...claims,
      };
      return new SignJWT(payload)
        .setProtectedHeader({ ...signOpts.header, alg: key.alg, kid: signOpts.kid ?? key.kid })
        .sign(key.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
