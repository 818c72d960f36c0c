import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { expect, it } from 'vitest';
import { createPersonalAccessTokensRepository } from './personal-access-tokens';
import { createTenantsRepository } from './tenants';
import { createUsersRepository } from './users';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describeBothDatabases('identity repositories', (getDb) => {
  const users = () => createUsersRepository(getDb().drizzle);
  const tenants = () => createTenantsRepository(getDb().drizzle);
  const tokens = () => createPersonalAccessTokensRepository(getDb().drizzle);

  const claim = (id: string, at = t0, staleBefore = new Date(0)) =>
    users().upsertProvisioning({ id, email: `${id}@example.com`, displayName: id.toUpperCase(), at, staleBefore });

  it('users: the first claim inserts as provisioning, a second one does not win', async () => {
    expect(await users().byId('u-claim')).toBeNull();
    expect(await claim('u-claim')).toBe(true);
    expect(await claim('u-claim')).toBe(false);
    expect(await users().byId('u-claim')).toEqual({
      id: 'u-claim',
      email: 'u-claim@example.com',
      displayName: 'U-CLAIM',
      status: 'provisioning',
      homeVolume: null,
      provisionError: null,
      provisionedAt: null,
      createdAt: t0.toISOString(),
      updatedAt: t0.toISOString(),
    });
  });

  it('users: a failed user or a stale claim can be claimed again, an active one cannot', async () => {
    expect(await claim('u-retry')).toBe(true);
    await users().markFailed('u-retry', { reason: 'volume quota exceeded', at: later(1) });
    expect(await users().byId('u-retry')).toMatchObject({ status: 'failed', provisionError: 'volume quota exceeded' });
    expect(await claim('u-retry', later(2))).toBe(true);
    expect(await users().byId('u-retry')).toMatchObject({ status: 'provisioning', provisionError: null });

    // Still fresh: not stale before t0+2ms. Stale once the cut-off passes its updated_at.
    expect(await claim('u-retry', later(3), later(2))).toBe(false);
    expect(await claim('u-retry', later(4), later(3))).toBe(true);

    const active = await users().markActive('u-retry', { homeVolume: 'home-u-retry', at: later(5) });
    expect(active).toMatchObject({
      status: 'active',
      homeVolume: 'home-u-retry',
      provisionedAt: later(5).toISOString(),
      updatedAt: later(5).toISOString(),
    });
    expect(await claim('u-retry', later(6), later(1_000_000))).toBe(false);
  });

  it('users: suspension and its lifting, and keyset listing by id', async () => {
    await claim('u-list-b');
    await users().markActive('u-list-b', { homeVolume: 'h', at: t0 });
    await claim('u-list-a');
    expect(await users().setSuspended('u-list-b', true, later(1))).toMatchObject({ status: 'suspended' });
    expect(await claim('u-list-b')).toBe(false);
    expect(await users().setSuspended('u-list-b', false, later(2))).toMatchObject({ status: 'active' });
    // Lifting a suspension that is not there changes no state.
    expect(await users().setSuspended('u-list-a', false, later(3))).toMatchObject({ status: 'provisioning' });
    expect(await users().setSuspended('nobody', true, t0)).toBeNull();

    const page = await users().list({ limit: 2, afterId: 'u-list' });
    expect(page.map((u) => u.id)).toEqual(['u-list-a', 'u-list-b']);
  });

  it('tenants: roots, children and descendants by materialized path', async () => {
    const root = await tenants().ensureRoot({ id: 'acme', name: 'Acme', at: t0 });
    expect(root).toEqual({
      id: 'acme',
      path: '/acme/',
      name: 'Acme',
      parentId: null,
      tier: 'developer',
      maxRunningSessions: 5,
      maxStorageGb: 50,
      createdAt: t0.toISOString(),
    });
    expect(await tenants().ensureRoot({ id: 'acme', name: 'Renamed?', at: later(1) })).toEqual(root);

    const make = (id: string, slug: string, parentId: string | null) =>
      tenants().create({
        id,
        slug,
        name: slug,
        parentId,
        tier: 'team',
        maxRunningSessions: 10,
        maxStorageGb: 100,
        at: t0,
      });
    const teamA = await make('t-a', 'team-a', 'acme');
    expect(teamA.path).toBe('/acme/team-a/');
    await make('t-b', 'team-b', 'acme');
    await make('t-a-x', 'x', 't-a');
    await make('other', 'acme-other', null);

    expect(await tenants().byPath('/acme/team-a/x/')).toMatchObject({ id: 't-a-x', parentId: 't-a' });
    expect((await tenants().children('acme')).map((t) => t.path)).toEqual(['/acme/team-a/', '/acme/team-b/']);
    expect((await tenants().descendants('acme')).map((t) => t.path)).toEqual([
      '/acme/team-a/',
      '/acme/team-a/x/',
      '/acme/team-b/',
    ]);
    expect(await tenants().descendants('no-such-tenant')).toEqual([]);

    await expect(make('dup', 'team-a', 'acme')).rejects.toMatchObject({ code: 'TENANT_PATH_TAKEN' });
    await expect(make('orphan', 'z', 'missing-parent')).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
    // A root from the IdP whose path another tenant already has.
    await make('uuid-1', 'taken', null);
    await expect(tenants().ensureRoot({ id: 'taken', name: 'Taken', at: t0 })).rejects.toMatchObject({
      code: 'TENANT_PATH_TAKEN',
    });

    expect(await tenants().update('t-b', { name: 'Team B', maxRunningSessions: 1 })).toMatchObject({
      name: 'Team B',
      maxRunningSessions: 1,
      tier: 'team',
    });
    expect(await tenants().update('missing', { name: 'x' })).toBeNull();
  });

  it('tenants: memberships are ensured once, changed by set, listed oldest first, removed', async () => {
    await tenants().ensureRoot({ id: 'm-home', name: 'Home', at: t0 });
    await tenants().ensureRoot({ id: 'm-second', name: 'Second', at: t0 });
    await claim('u-member');
    const first = await tenants().ensureMembership({
      userId: 'u-member',
      tenantId: 'm-home',
      role: 'volundr:developer',
      at: t0,
    });
    expect(first).toEqual({
      userId: 'u-member',
      tenantId: 'm-home',
      role: 'volundr:developer',
      grantedAt: t0.toISOString(),
    });
    // Ensuring again never changes the stored role.
    expect(
      await tenants().ensureMembership({ userId: 'u-member', tenantId: 'm-home', role: 'volundr:admin', at: later(1) }),
    ).toEqual(first);
    await tenants().setMembership({ userId: 'u-member', tenantId: 'm-second', role: 'volundr:viewer', at: later(2) });
    expect(
      await tenants().setMembership({ userId: 'u-member', tenantId: 'm-home', role: 'volundr:admin', at: later(3) }),
    ).toMatchObject({ role: 'volundr:admin', grantedAt: t0.toISOString() });

    expect((await tenants().membershipsOf('u-member')).map((m) => [m.tenantId, m.role])).toEqual([
      ['m-home', 'volundr:admin'],
      ['m-second', 'volundr:viewer'],
    ]);
    expect((await tenants().membersOf('m-second')).map((m) => m.userId)).toEqual(['u-member']);
    expect(await tenants().removeMembership('u-member', 'm-second')).toBe(true);
    expect(await tenants().removeMembership('u-member', 'm-second')).toBe(false);
  });

  it('personal access tokens: stored without the hash in reads, found by hash, listed, revoked, touched', async () => {
    await claim('u-pat');
    const base = { ownerId: 'u-pat', tokenPrefix: 'vpat_abcdefg', sessionId: null, expiresAt: later(1000), at: t0 };
    const ci = await tokens().insert({ ...base, id: 'pat-1', name: 'ci', tokenHash: 'hash-1' });
    expect(ci).toEqual({
      id: 'pat-1',
      ownerId: 'u-pat',
      name: 'ci',
      tokenPrefix: 'vpat_abcdefg',
      sessionId: null,
      expiresAt: later(1000).toISOString(),
      lastUsedAt: null,
      revokedAt: null,
      createdAt: t0.toISOString(),
    });
    expect(Object.keys(ci)).not.toContain('tokenHash');
    await tokens().insert({ ...base, id: 'pat-2', name: 'laptop', tokenHash: 'hash-2', at: later(1) });
    await expect(tokens().insert({ ...base, id: 'pat-3', name: 'ci', tokenHash: 'hash-3' })).rejects.toMatchObject({
      code: 'PERSONAL_ACCESS_TOKEN_NAME_TAKEN',
    });

    expect(await tokens().byHash('hash-1')).toEqual(ci);
    expect(await tokens().byHash('nope')).toBeNull();
    expect((await tokens().listForOwner('u-pat', { includeRevoked: false })).map((t) => t.id)).toEqual([
      'pat-2',
      'pat-1',
    ]);

    const revoked = await tokens().revoke('pat-1', later(5));
    expect(revoked?.revokedAt).toBe(later(5).toISOString());
    expect((await tokens().revoke('pat-1', later(9)))?.revokedAt).toBe(later(5).toISOString());
    expect(await tokens().revoke('missing', later(9))).toBeNull();
    expect((await tokens().listForOwner('u-pat', { includeRevoked: false })).map((t) => t.id)).toEqual(['pat-2']);
    expect((await tokens().listForOwner('u-pat', { includeRevoked: true })).map((t) => t.id)).toEqual([
      'pat-2',
      'pat-1',
    ]);
    // A revoked token's name can be used again.
    await tokens().insert({ ...base, id: 'pat-4', name: 'ci', tokenHash: 'hash-4' });

    await tokens().touch('pat-2', later(7));
    expect((await tokens().byId('pat-2'))?.lastUsedAt).toBe(later(7).toISOString());
  });
});
