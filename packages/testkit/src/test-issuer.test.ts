import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from './test-issuer';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer({ path: '/realms/test', audience: 'api' });
});
afterAll(() => issuer.close());

describe('startTestIssuer', () => {
  it('serves discovery and a JWKS over HTTP that verify its tokens', async () => {
    expect(issuer.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/realms\/test$/);
    const discovery = await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({ issuer: issuer.issuer, jwks_uri: issuer.jwksUri });
    const jwks = await (await fetch(issuer.jwksUri)).json();
    for (const alg of ['RS256', 'ES256'] as const) {
      const { payload, protectedHeader } = await jwtVerify(
        await issuer.sign({ sub: 'ada' }, { alg }),
        createLocalJWKSet(jwks as JSONWebKeySet),
        { issuer: issuer.issuer, audience: 'api' },
      );
      expect(protectedHeader.alg).toBe(alg);
      expect(payload.sub).toBe('ada');
    }
    expect(issuer.requests.discovery).toBe(1);
  });

  it('rotates to new kids, keeping old keys unless told to drop them', async () => {
    const before = decodeProtectedHeader(await issuer.sign()).kid;
    await issuer.rotate();
    const after = decodeProtectedHeader(await issuer.sign()).kid;
    expect(after).not.toBe(before);
    expect(issuer.publicJwks().map((k) => k.kid)).toContain(before);
    await issuer.rotate({ dropOld: true });
    expect(issuer.publicJwks().map((k) => k.kid)).not.toContain(after);
    expect(issuer.publicJwks()).toHaveLength(2);
  });

  it('signs with overrides: foreign kid, expiry, not-before, issuer and audience', async () => {
    const token = await issuer.sign({}, { kid: 'x', expiresIn: -5, notBefore: 10, issuer: 'i', audience: ['a', 'b'] });
    expect(decodeProtectedHeader(token).kid).toBe('x');
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(payload).toMatchObject({ iss: 'i', aud: ['a', 'b'] });
    expect(payload.exp).toBeLessThan(payload.iat);
    expect(payload.nbf).toBe(payload.iat + 10);
  });
});
