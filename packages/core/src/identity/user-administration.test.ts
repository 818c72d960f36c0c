import type { Principal } from '@volundr/contracts/principal';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../testing/fixed-clock';
import { aPrincipal } from '../testing/principal-builder';
import { listUsers } from './list-users';
import { reprovisionTenant } from './reprovision-tenant';
import { reprovisionUser } from './reprovision-user';
import { setUserSuspended } from './set-user-suspended';
import { inMemoryAccounts, tenantUserRules } from './testing/in-memory-accounts';
import { userById } from './user-by-id';

function world() {
  const accounts = inMemoryAccounts();
  accounts.tenant('acme');
  accounts.tenant('team-a', 'acme');
  accounts.tenant('globex');
  accounts.user('ada', ['acme', 'volundr:admin']);
  accounts.user('bo', ['acme', 'volundr:developer'], ['globex', 'volundr:viewer']);
  accounts.user('cy', ['team-a', 'volundr:developer']);
  accounts.user('gus', ['globex', 'volundr:admin']);
  // Home in globex, also a member of acme: acme's admins see them but do not manage the account.
  accounts.user('hal', ['globex', 'volundr:developer'], ['acme', 'volundr:viewer']);
  const deps = {
    tenants: accounts.tenants,
    users: accounts.users,
    homeVolumes: accounts.homeVolumes,
    authorization: tenantUserRules(),
    clock: fixedClock(),
  };
  const as = (userId: string, tenantId: string, role: Principal['roles'][number]): Principal =>
    aPrincipal({ userId, tenantId, roles: [role] }).build();
  return {
    accounts,
    deps,
    ada: as('ada', 'acme', 'volundr:admin'),
    bo: as('bo', 'acme', 'volundr:developer'),
    gus: as('gus', 'globex', 'volundr:admin'),
  };
}

describe('users', () => {
  it('lists a tenant’s members by id, pages, and shows only memberships of the reach', async () => {
    const w = world();
    const first = await listUsers(w.deps)(w.ada, { limit: 2 });
    expect(first.items.map((i) => i.user.id)).toEqual(['ada', 'bo']);
    expect(first.items[1]?.memberships.map((m) => m.tenantId)).toEqual(['acme']); // not globex
    const second = await listUsers(w.deps)(w.ada, { limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [{ user: { id: 'hal' } }], nextCursor: null });
    expect((await listUsers(w.deps)(w.ada, { tenantId: 'team-a' })).items.map((i) => i.user.id)).toEqual(['cy']);
    expect((await listUsers(w.deps)(w.ada, { status: 'suspended' })).items).toEqual([]);
    await expect(listUsers(w.deps)(w.gus, { tenantId: 'acme' })).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
    await expect(listUsers(w.deps)(w.bo, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('reads a user of the reach; others are not found; a developer reads only themself', async () => {
    const w = world();
    expect(await userById(w.deps)(w.ada, { id: 'cy' })).toMatchObject({
      user: { id: 'cy' },
      memberships: [{ tenantId: 'team-a' }],
    });
    await expect(userById(w.deps)(w.ada, { id: 'gus' })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(userById(w.deps)(w.gus, { id: 'ada' })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(userById(w.deps)(w.bo, { id: 'ada' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await userById(w.deps)(w.bo, { id: 'bo' })).memberships.map((m) => m.tenantId)).toEqual(['acme']);
  });

  it('suspends and reinstates, naming the administrator; idempotent; never oneself nor another tenant’s account', async () => {
    const w = world();
    const set = setUserSuspended(w.deps);
    expect(await set(w.ada, { id: 'cy' }, true)).toMatchObject({ status: 'suspended' });
    expect(await set(w.ada, { id: 'cy' }, true)).toMatchObject({ status: 'suspended' });
    expect(await set(w.ada, { id: 'cy' }, false)).toMatchObject({ status: 'active' });
    expect(w.accounts.changes.map((c) => [c.what, c.actorId])).toEqual([
      ['user.suspended', 'ada'],
      ['user.reinstated', 'ada'],
    ]);
    await expect(set(w.ada, { id: 'ada' }, true)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(set(w.ada, { id: 'hal' }, true)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('belongs to another tenant'),
    });
    await expect(set(w.gus, { id: 'cy' }, true)).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(set(w.bo, { id: 'cy' }, true)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('re-provisions a failed user (home volume, then active) and is idempotent for an active one', async () => {
    const w = world();
    w.accounts.setStatus('cy', 'failed');
    const user = await reprovisionUser(w.deps)(w.ada, { id: 'cy' });
    expect(user).toMatchObject({ status: 'active', homeVolume: 'home-cy', provisionError: null });
    expect(w.accounts.volumes.has('cy')).toBe(true);
    expect(w.accounts.changes).toEqual([{ what: 'user.provisioned', actorId: 'ada', userId: 'cy' }]);
    expect(await reprovisionUser(w.deps)(w.ada, { id: 'cy' })).toMatchObject({ status: 'active' });
    expect(w.accounts.changes).toHaveLength(1);
  });

  it('leaves a user failed with the reason when it fails again, and refuses suspended users', async () => {
    const w = world();
    w.accounts.setStatus('cy', 'failed');
    w.accounts.failHomeVolumes('volume quota exhausted');
    await expect(reprovisionUser(w.deps)(w.ada, { id: 'cy' })).rejects.toMatchObject({
      code: 'USER_PROVISIONING_FAILED',
      message: 'Re-provisioning cy failed: volume quota exhausted.',
    });
    expect(await w.accounts.users.byId('cy')).toMatchObject({
      status: 'failed',
      provisionError: 'volume quota exhausted',
    });
    w.accounts.setStatus('bo', 'suspended');
    await expect(reprovisionUser(w.deps)(w.ada, { id: 'bo' })).rejects.toMatchObject({ code: 'USER_INVALID_STATE' });
    await expect(reprovisionUser(w.deps)(w.bo, { id: 'cy' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('leaves a fresh provisioning claim to the request holding it', async () => {
    const w = world();
    // Claimed at the clock's time: fresh, not stale.
    w.accounts.setStatus('cy', 'provisioning');
    await expect(reprovisionUser(w.deps)(w.ada, { id: 'cy' })).rejects.toMatchObject({ code: 'USER_PROVISIONING' });
  });

  it('re-provisions every member of a tenant and says what happened to each', async () => {
    const w = world();
    w.accounts.setStatus('bo', 'failed');
    w.accounts.setStatus('hal', 'suspended');
    const result = await reprovisionTenant(w.deps)(w.ada, { id: 'acme' });
    expect(result).toEqual({
      tenantId: 'acme',
      provisioned: ['ada', 'bo'],
      skipped: [{ userId: 'hal', status: 'suspended' }],
      failed: [],
    });
    expect(await w.accounts.users.byId('bo')).toMatchObject({ status: 'active' });
    await expect(reprovisionTenant(w.deps)(w.gus, { id: 'acme' })).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
    await expect(reprovisionTenant(w.deps)(w.bo, { id: 'acme' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
