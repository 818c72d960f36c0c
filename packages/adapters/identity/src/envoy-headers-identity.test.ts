import { DomainError } from '@volundr/core/errors';
import { describe, expect, it } from 'vitest';
import { createEnvoyHeadersIdentity, envoyHeadersIdentity, parseRolesHeader } from './envoy-headers-identity';

const identity = createEnvoyHeadersIdentity({
  trustedProxies: ['10.0.0.7', '192.168.50.0/24', 'fd00:1::/64'],
  roleMap: { 'platform-admins': 'volundr:admin' },
});
const headers = {
  'x-auth-user-id': 'u-42',
  'x-auth-email': 'ada@example.com',
  'x-auth-tenant': 'team-a',
  'x-auth-roles': 'platform-admins,volundr:viewer',
};

describe('createEnvoyHeadersIdentity', () => {
  it.each(['10.0.0.7', '::ffff:10.0.0.7', '192.168.50.200', 'fd00:1::9'])(
    'trusts the headers from proxy %s',
    async (remoteAddress) => {
      await expect(identity.authenticate({ headers, remoteAddress })).resolves.toEqual({
        userId: 'u-42',
        email: 'ada@example.com',
        name: null,
        tenantId: 'team-a',
        roles: ['volundr:admin', 'volundr:viewer'],
      });
    },
  );

  it.each(['10.0.0.8', '192.168.51.1', '::ffff:192.168.49.1', 'fd00:2::1', '127.0.0.1', undefined])(
    'ignores the headers from %s (not a configured proxy)',
    async (remoteAddress) => {
      await expect(identity.authenticate({ headers, remoteAddress })).resolves.toBeNull();
    },
  );

  it('is anonymous without a user id, defaults tenant and role otherwise', async () => {
    await expect(
      identity.authenticate({ headers: { 'x-auth-email': 'a@b' }, remoteAddress: '10.0.0.7' }),
    ).resolves.toBeNull();
    await expect(
      identity.authenticate({ headers: { 'x-auth-user-id': 'u-1' }, remoteAddress: '10.0.0.7' }),
    ).resolves.toEqual({
      userId: 'u-1',
      email: null,
      name: null,
      tenantId: 'default',
      roles: ['volundr:developer'],
    });
  });

  it('reads roles as base64 JSON arrays as well as CSV', async () => {
    const roles = Buffer.from(JSON.stringify(['volundr:viewer', 'unknown'])).toString('base64');
    await expect(
      identity.authenticate({ headers: { 'x-auth-user-id': 'u-1', 'x-auth-roles': roles }, remoteAddress: '10.0.0.7' }),
    ).resolves.toMatchObject({ roles: ['volundr:viewer'] });
  });

  it('rejects malformed headers from a trusted proxy with UNAUTHENTICATED', async () => {
    const broken = Buffer.from('[not json').toString('base64');
    const results = await Promise.allSettled([
      identity.authenticate({ headers: { 'x-auth-user-id': 'u', 'x-auth-roles': broken }, remoteAddress: '10.0.0.7' }),
      identity.authenticate({ headers: { 'x-auth-user-id': 'x'.repeat(300) }, remoteAddress: '10.0.0.7' }),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as DomainError;
      expect(reason).toBeInstanceOf(DomainError);
      expect(reason.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('parseRolesHeader', () => {
  it('parses CSV with spaces, base64url JSON, and empty values', () => {
    expect(parseRolesHeader(' a , b,,c ')).toEqual(['a', 'b', 'c']);
    expect(parseRolesHeader(Buffer.from('["x","y"]').toString('base64url'))).toEqual(['x', 'y']);
    expect(parseRolesHeader('admin')).toEqual(['admin']);
    expect(parseRolesHeader(undefined)).toEqual([]);
  });
});

describe('envoyHeadersIdentity options', () => {
  it('rejects bad addresses and an empty proxy list', () => {
    for (const trustedProxies of [[], ['10.0.0.0/33'], ['not-an-ip'], ['10.0.0.1/8/1'], ['fd00::/129']]) {
      expect(envoyHeadersIdentity.options.safeParse({ trustedProxies }).success).toBe(false);
    }
    expect(envoyHeadersIdentity.options.safeParse({ trustedProxies: ['0.0.0.0/0', '::1'] }).success).toBe(true);
  });
});
