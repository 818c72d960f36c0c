import { createHmac, createPublicKey } from 'node:crypto';
import { DomainError } from '@volundr/core/errors';
import type { Credentials } from '@volundr/core/identity/ports/identity';
import { startTestIssuer, type TestIssuer } from '@volundr/testkit/test-issuer';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOidcIdentity, oidcIdentity } from './oidc-identity';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const bearer = (token: string): Credentials => ({ authorization: `Bearer ${token}`, headers: {} });

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the token to be rejected');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

let idp: TestIssuer;
let other: TestIssuer;
beforeAll(async () => {
  idp = await startTestIssuer();
  other = await startTestIssuer();
});
afterAll(async () => {
  await idp.close();
  await other.close();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createOidcIdentity', () => {
  it('accepts a valid RS256 and ES256 token and maps it to a principal', async () => {
    const identity = createOidcIdentity({ issuer: idp.issuer, audience: 'volundr' });
    const claims = { sub: 'u-1', email: 'ada@example.com', name: 'Ada', tenant: 't-1', roles: ['volundr:admin'] };
    await expect(identity.authenticate(bearer(await idp.sign(claims)))).resolves.toEqual({
      userId: 'u-1',
      email: 'ada@example.com',
      name: 'Ada',
      tenantId: 't-1',
      roles: ['volundr:admin'],
    });
    const es = await identity.authenticate(bearer(await idp.sign({ sub: 'u-2' }, { alg: 'ES256' })));
    expect(es).toEqual({ userId: 'u-2', email: null, name: null, tenantId: 'default', roles: ['volundr:developer'] });
  });

  it('returns null without an authorization header and rejects other schemes', async () => {
    const identity = createOidcIdentity({ issuer: idp.issuer, audience: 'volundr' });
    await expect(identity.authenticate({ headers: {} })).resolves.toBeNull();
    const error = await rejection(identity.authenticate({ authorization: 'Basic YTpi', headers: {} }));
    expect(error.code).toBe('UNAUTHENTICATED');
  });

  it('uses discovery once and caches the JWKS across calls', async () => {
    const issuer = await startTestIssuer({ path: '/realms/volundr' });
    try {
      const identity = createOidcIdentity({ issuer: issuer.issuer, audience: 'volundr' });
      for (let i = 0; i < 5; i += 1) {
        await identity.authenticate(bearer(await issuer.sign({ sub: `u-${i}` })));
      }
      expect(issuer.requests).toEqual({ discovery: 1, jwks: 1 });
    } finally {
      await issuer.close();
    }
  });

  it('accepts several audiences and honours clock skew', async () => {
    const identity = createOidcIdentity({ issuer: idp.issuer, audience: ['api://volundr', 'volundr'] });
    await expect(
      identity.authenticate(bearer(await idp.sign({}, { audience: 'api://volundr' }))),
    ).resolves.toMatchObject({ userId: 'test-user' });
    // Expired 10 s ago, within the default 30 s skew.
    await expect(identity.authenticate(bearer(await idp.sign({}, { expiresIn: -10 })))).resolves.not.toBeNull();
  });

  it('remembers a verified token only until it expires, and hands out copies', async () => {
    let now = Date.now();
    const identity = createOidcIdentity(
      { issuer: idp.issuer, audience: 'volundr' },
      { clock: { now: () => new Date(now) } },
    );
    const token = await idp.sign({ sub: 'u-9', roles: ['volundr:viewer'] }, { expiresIn: 60 });
    const first = await identity.authenticate(bearer(token));
    first!.roles.push('volundr:admin');
    first!.userId = 'someone-else';
    await expect(identity.authenticate(bearer(token))).resolves.toMatchObject({
      userId: 'u-9',
      roles: ['volundr:viewer'],
    });
    now += 95_000; // past exp and the 30 s skew
    const error = await rejection(identity.authenticate(bearer(token)));
    expect(error.message).toMatch(/expired/);
  });

  it('verifies every time with the token cache turned off', async () => {
    const identity = createOidcIdentity({ issuer: idp.issuer, audience: 'volundr', verifiedTokenCacheSize: 0 });
    const token = await idp.sign({ sub: 'u-10' });
    for (let i = 0; i < 3; i++)
      await expect(identity.authenticate(bearer(token))).resolves.toMatchObject({ userId: 'u-10' });
  });

  describe('JWT attack suite: every case is UNAUTHENTICATED and says why without echoing the token', () => {
    const identity = () => createOidcIdentity({ issuer: idp.issuer, audience: 'volundr' });
    const cases: Array<[string, () => Promise<string>, RegExp]> = [
      [
        'alg none',
        async () =>
          `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: idp.issuer, aud: 'volundr', sub: 'x', exp: 9e9 })}.`,
        /algorithm|well-formed/,
      ],
      [
        'HS256 signed with the RSA public key',
        async () => {
          const rsa = idp.publicJwks().find((k) => k.kty === 'RSA');
          const pem = createPublicKey({ key: rsa as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
          const signingInput = `${b64url({ alg: 'HS256', kid: rsa?.kid })}.${b64url({ iss: idp.issuer, aud: 'volundr', sub: 'x', exp: 9e9 })}`;
          return `${signingInput}.${createHmac('sha256', pem).update(signingInput).digest('base64url')}`;
        },
        /algorithm/,
      ],
      ['expired', () => idp.sign({}, { expiresIn: -120 }), /expired/],
      ['not yet valid', () => idp.sign({}, { notBefore: 600, expiresIn: 900 }), /not yet valid/],
      ['wrong iss', () => idp.sign({}, { issuer: 'https://evil.example' }), /issuer/],
      ['wrong aud', () => idp.sign({}, { audience: 'someone-else' }), /audience/],
      ['no exp', () => idp.sign({ exp: undefined }), /"exp"/],
      ['unknown kid', () => idp.sign({}, { kid: 'not-a-key' }), /unknown kid/],
      [
        'tampered payload',
        async () => {
          const [header, , signature] = (await idp.sign({ roles: ['volundr:viewer'] })).split('.');
          const forged = b64url({
            iss: idp.issuer,
            aud: 'volundr',
            sub: 'test-user',
            exp: 9e9,
            roles: ['volundr:admin'],
          });
          return `${header}.${forged}.${signature}`;
        },
        /signature/,
      ],
      ["another issuer's token claiming our iss", () => other.sign({}, { issuer: idp.issuer }), /unknown kid/],
      [
        "another issuer's token reusing one of our kids",
        () => other.sign({}, { issuer: idp.issuer, kid: idp.publicJwks().find((k) => k.kty === 'RSA')?.kid }),
        /signature/,
      ],
      ['garbage', async () => 'not.a.jwt', /well-formed/],
    ];
    it.each(cases)('%s', async (_name, makeToken, why) => {
      const token = await makeToken();
      const error = await rejection(identity().authenticate(bearer(token)));
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.message).toMatch(why);
      for (const part of token.split('.').filter((p) => p.length > 8)) expect(error.message).not.toContain(part);
      expect(error.cause).toBeUndefined();
    });
  });

  it('refetches the JWKS on an unknown kid at most once per cooldown, and accepts a rotated key', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const issuer = await startTestIssuer();
    try {
      const identity = createOidcIdentity({ issuer: issuer.issuer, audience: 'volundr' });
      await identity.authenticate(bearer(await issuer.sign()));
      expect(issuer.requests.jwks).toBe(1);

      for (let i = 0; i < 10; i += 1) {
        await rejection(identity.authenticate(bearer(await issuer.sign({}, { kid: `unknown-${i}` }))));
      }
      expect(issuer.requests.jwks).toBe(1); // still within the 30 s cooldown of the first fetch

      await issuer.rotate();
      vi.setSystemTime(Date.now() + 31_000);
      const rotated = await issuer.sign({ sub: 'after-rotation' });
      await expect(identity.authenticate(bearer(rotated))).resolves.toMatchObject({ userId: 'after-rotation' });
      expect(issuer.requests.jwks).toBe(2);
      await rejection(identity.authenticate(bearer(await issuer.sign({}, { kid: 'still-unknown' }))));
      expect(issuer.requests.jwks).toBe(2);
    } finally {
      await issuer.close();
    }
  });

  it('rejects algorithms outside a narrowed allowlist', async () => {
    const identity = createOidcIdentity({ issuer: idp.issuer, audience: 'volundr', algorithms: ['ES256'] });
    const error = await rejection(identity.authenticate(bearer(await idp.sign({}, { alg: 'RS256' }))));
    expect(error.message).toMatch(/algorithm/);
  });

  it('answers DEPENDENCY_UNAVAILABLE when the issuer cannot be discovered', async () => {
    const issuer = await startTestIssuer();
    const token = await issuer.sign();
    await issuer.close();
    const identity = createOidcIdentity({ issuer: issuer.issuer, audience: 'volundr', httpTimeoutMs: 1000 });
    const error = await rejection(identity.authenticate(bearer(token)));
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
  });

  it('maps Keycloak realm roles through the role map', async () => {
    const identity = createOidcIdentity({
      issuer: idp.issuer,
      audience: 'volundr',
      claims: { preset: 'keycloak' },
      roleMap: { 'platform-admins': 'volundr:admin' },
    });
    const token = await idp.sign({
      realm_access: { roles: ['offline_access', 'platform-admins'] },
      roles: ['ignored'],
    });
    await expect(identity.authenticate(bearer(token))).resolves.toMatchObject({ roles: ['volundr:admin'] });
  });
});

describe('oidcIdentity adapter definition', () => {
  it('rejects unknown keys, HMAC algorithms and a missing audience', () => {
    expect(oidcIdentity.options.safeParse({ issuer: 'https://idp.example', audience: 'v', extra: 1 }).success).toBe(
      false,
    );
    expect(
      oidcIdentity.options.safeParse({ issuer: 'https://idp.example', audience: 'v', algorithms: ['HS256'] }).success,
    ).toBe(false);
    expect(oidcIdentity.options.safeParse({ issuer: 'https://idp.example' }).success).toBe(false);
  });

  it('builds a working identity from configuration', async () => {
    const options = oidcIdentity.options.parse({ issuer: idp.issuer, audience: 'volundr', jwksUri: idp.jwksUri });
    const identity = await oidcIdentity.create(options, {});
    await expect(identity.authenticate(bearer(await idp.sign({ sub: 'cfg' })))).resolves.toMatchObject({
      userId: 'cfg',
    });
  });
});
