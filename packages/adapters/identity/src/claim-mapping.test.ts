import { describe, expect, it } from 'vitest';
import { claimPresets, mapClaims, resolveClaimMapping, ZClaimMappingOptions } from './claim-mapping';
import { mapRoles } from './role-mapping';

const config = (options: unknown, roleMap = {}) => ({
  mapping: resolveClaimMapping(ZClaimMappingOptions.parse(options)),
  roleMap,
  defaultTenant: 'default',
});

describe('claim presets', () => {
  it('keycloak: realm_access.roles, name fallback to preferred_username', () => {
    const principal = mapClaims(
      {
        sub: 'kc-1',
        email: 'a@x',
        preferred_username: 'ada',
        realm_access: { roles: ['volundr-admin', 'offline_access'] },
      },
      config({ preset: 'keycloak' }, { 'volundr-admin': 'volundr:admin' }),
    );
    expect(principal).toEqual({
      userId: 'kc-1',
      email: 'a@x',
      name: 'ada',
      tenantId: 'default',
      roles: ['volundr:admin'],
    });
  });

  it('entra: roles and tid, UPN as email when there is no email claim', () => {
    const principal = mapClaims(
      {
        sub: 'e-1',
        oid: 'o-1',
        tid: 'tenant-guid',
        preferred_username: 'ada@corp.example',
        name: 'Ada L',
        roles: ['Volundr.Viewer'],
      },
      config({ preset: 'entra' }, { 'Volundr.Viewer': 'volundr:viewer' }),
    );
    expect(principal).toEqual({
      userId: 'e-1',
      email: 'ada@corp.example',
      name: 'Ada L',
      tenantId: 'tenant-guid',
      roles: ['volundr:viewer'],
    });
  });

  it('okta: groups', () => {
    const principal = mapClaims(
      { sub: 'ok-1', groups: ['Everyone', 'volundr-devs', 'volundr-admins'] },
      config({ preset: 'okta' }, { 'volundr-admins': 'volundr:admin', 'volundr-devs': 'volundr:developer' }),
    );
    expect(principal.roles).toEqual(['volundr:admin', 'volundr:developer']);
  });

  it('overrides win over the preset, and several paths are tried in order', () => {
    const mapping = config({
      preset: 'entra',
      userId: 'oid',
      tenant: ['org.id', 'tid'],
      roles: 'resource_access.volundr.roles',
    });
    expect(mapping.mapping.email).toEqual(claimPresets.entra.email);
    const principal = mapClaims(
      { sub: 's', oid: 'o-9', tid: 'fallback', resource_access: { volundr: { roles: ['volundr:viewer'] } } },
      mapping,
    );
    expect(principal).toMatchObject({ userId: 'o-9', tenantId: 'fallback', roles: ['volundr:viewer'] });
  });

  it('accepts a space or comma separated roles string', () => {
    expect(mapClaims({ sub: 's', roles: 'volundr:viewer volundr:admin' }, config({})).roles).toEqual([
      'volundr:admin',
      'volundr:viewer',
    ]);
  });

  it('refuses a token without a user id or with an oversized field, naming the field only', () => {
    expect(() => mapClaims({ email: 'x' }, config({}))).toThrow(/user id claim \(sub\)/);
    const secret = 'x'.repeat(400);
    expect(() => mapClaims({ sub: 's', email: secret }, config({}))).toThrow(/\(email\)/);
    try {
      mapClaims({ sub: 's', email: secret }, config({}));
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('does not read inherited properties as claims', () => {
    expect(mapClaims({ sub: 's' }, config({ roles: 'constructor' })).roles).toEqual(['volundr:developer']);
  });
});

describe('mapRoles', () => {
  it('maps known names, drops unknown ones, defaults to developer, ignores prototype keys', () => {
    expect(mapRoles(['volundr:admin', 'nobody'], {})).toEqual(['volundr:admin']);
    expect(mapRoles([], {})).toEqual(['volundr:developer']);
    expect(mapRoles(['toString', '__proto__'], {})).toEqual(['volundr:developer']);
    expect(mapRoles(['ops'], { ops: 'volundr:admin' })).toEqual(['volundr:admin']);
  });
});
