import { describe, expect, it } from 'vitest';
import { accessClaims } from './jwt-claims';

const jwt = (payload: unknown) => `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`;

describe('accessClaims', () => {
  it('reads sub, tenant and the Volundr roles (unicode-safe)', () => {
    expect(
      accessClaims(jwt({ sub: 'åsa', tenant: 't1', roles: ['volundr:admin', 'other', 'volundr:viewer'] })),
    ).toEqual({
      sub: 'åsa',
      roles: ['volundr:admin', 'volundr:viewer'],
      tenant: 't1',
    });
  });

  it('gives empty claims for a token it cannot read', () => {
    const empty = { sub: null, roles: [], tenant: null };
    expect(accessClaims('opaque-pat-token')).toEqual(empty);
    expect(accessClaims('a.!!!.c')).toEqual(empty);
    expect(accessClaims(jwt({ roles: 'volundr:admin' }))).toEqual(empty);
  });
});
