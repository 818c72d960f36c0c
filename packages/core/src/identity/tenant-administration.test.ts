import type { Principal } from '@volundr/contracts/principal';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../testing/fixed-clock';
import { aPrincipal } from '../testing/principal-builder';
import { addTenantMember } from './add-tenant-member';
import { createTenant } from './create-tenant';
import { deleteTenant } from './delete-tenant';
import { listTenantMembers } from './list-tenant-members';
import { listTenants } from './list-tenants';
import { removeTenantMember } from './remove-tenant-member';
import { setTenantMemberRole } from './set-tenant-member-role';
import { tenantById } from './tenant-by-id';
import { inMemoryAccounts, tenantUserRules } from './testing/in-memory-accounts';
import { updateTenant } from './update-tenant';

/**
 * acme (/acme/) ─ team-a (/acme/team-a/) ─ squad (/acme/team-a/squad/)
 * globex (/globex/), another root: its admin reaches nothing of acme's.
 */
function world() {
  const accounts = inMemoryAccounts();
  accounts.tenant('acme');
  accounts.tenant('team-a', 'acme');
  accounts.tenant('squad', 'team-a');
  accounts.tenant('globex');
  accounts.user('ada', ['acme', 'volundr:admin']);
  accounts.user('dev', ['acme', 'volundr:developer']);
  accounts.user('vic', ['acme', 'volundr:viewer']);
  accounts.user('gus', ['globex', 'volundr:admin']);
  let next = 0;
  const deps = {
    tenants: accounts.tenants,
    users: accounts.users,
    authorization: tenantUserRules(),
    clock: fixedClock(),
    ids: { next: () => `t-${++next}` },
  };
  const as = (userId: string, tenantId: string, role: Principal['roles'][number]): Principal =>
    aPrincipal({ userId, tenantId, roles: [role] }).build();
  return {
    accounts,
    deps,
    ada: as('ada', 'acme', 'volundr:admin'),
    dev: as('dev', 'acme', 'volundr:developer'),
    vic: as('vic', 'acme', 'volundr:viewer'),
    gus: as('gus', 'globex', 'volundr:admin'),
    teamAdmin: as('tina', 'team-a', 'volundr:admin'),
  };
}

describe('tenants', () => {
  it('lists the administrator’s tenant and every tenant below it, parents first, nothing else', async () => {
    const w = world();
    expect((await listTenants(w.deps)(w.ada)).map((t) => t.path)).toEqual([
      '/acme/',
      '/acme/team-a/',
      '/acme/team-a/squad/',
    ]);
    expect((await listTenants(w.deps)(w.teamAdmin)).map((t) => t.path)).toEqual([
      '/acme/team-a/',
      '/acme/team-a/squad/',
    ]);
    expect((await listTenants(w.deps)(w.gus)).map((t) => t.path)).toEqual(['/globex/']);
    for (const p of [w.dev, w.vic]) await expect(listTenants(w.deps)(p)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('creates a child below a tenant of the reach, its path the parent’s plus the slug', async () => {
    const w = world();
    const child = await createTenant(w.deps)(w.ada, {
      slug: 'ops',
      name: 'Ops',
      parentId: 'team-a',
      maxRunningSessions: 2,
    });
    expect(child).toMatchObject({
      id: 't-1',
      path: '/acme/team-a/ops/',
      parentId: 'team-a',
      tier: 'developer',
      maxRunningSessions: 2,
      maxStorageGb: 50,
    });
    await expect(createTenant(w.deps)(w.ada, { slug: 'ops', name: 'Again', parentId: 'team-a' })).rejects.toMatchObject(
      {
        code: 'TENANT_PATH_TAKEN',
      },
    );
  });

  it('refuses to create at the root, above the reach, in another tenant, or for non-admins', async () => {
    const w = world();
    const create = createTenant(w.deps);
    await expect(create(w.ada, { slug: 'x', name: 'X', parentId: null })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(create(w.teamAdmin, { slug: 'x', name: 'X', parentId: 'acme' })).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });
    await expect(create(w.gus, { slug: 'x', name: 'X', parentId: 'acme' })).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });
    await expect(create(w.dev, { slug: 'x', name: 'X', parentId: 'acme' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(create(w.ada, { slug: 'Bad Slug', name: 'X', parentId: 'acme' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: ['slug'] }] },
    });
  });

  it('reads and updates a tenant of the reach; another tenant’s is not found; members are refused', async () => {
    const w = world();
    expect(await tenantById(w.deps)(w.ada, { id: 'squad' })).toMatchObject({ path: '/acme/team-a/squad/' });
    const updated = await updateTenant(w.deps)(w.ada, {
      id: 'team-a',
      maxRunningSessions: 12,
      maxStorageGb: 200,
      tier: 'team',
    });
    expect(updated).toMatchObject({ name: 'team-a', tier: 'team', maxRunningSessions: 12, maxStorageGb: 200 });
    await expect(tenantById(w.deps)(w.gus, { id: 'acme' })).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
    await expect(updateTenant(w.deps)(w.gus, { id: 'acme', name: 'mine' })).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });
    await expect(tenantById(w.deps)(w.dev, { id: 'acme' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(updateTenant(w.deps)(w.vic, { id: 'acme', name: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(updateTenant(w.deps)(w.ada, { id: 'acme' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await w.accounts.tenants.byId('acme'))?.name).toBe('acme');
  });

  it('deletes only an empty tenant below the administrator’s own, saying what is left otherwise', async () => {
    const w = world();
    const remove = deleteTenant(w.deps);
    await expect(remove(w.ada, { id: 'team-a' })).rejects.toMatchObject({
      code: 'TENANT_NOT_EMPTY',
      message: 'Tenant /acme/team-a/ still has 1 sub-tenant; remove them before deleting it.',
    });
    w.accounts.user('sam', ['squad', 'volundr:developer']);
    w.accounts.setSessions('squad', 3);
    await expect(remove(w.ada, { id: 'squad' })).rejects.toMatchObject({
      code: 'TENANT_NOT_EMPTY',
      message: expect.stringContaining('1 member, 3 sessions'),
    });
    await expect(remove(w.ada, { id: 'acme' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(remove(w.gus, { id: 'squad' })).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
    await expect(remove(w.dev, { id: 'squad' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    w.accounts.setSessions('squad', 0);
    await removeTenantMember(w.deps)(w.ada, { tenantId: 'squad', userId: 'sam' });
    expect(await remove(w.ada, { id: 'squad' })).toEqual({ id: 'squad', deleted: true });
    expect(await w.accounts.tenants.byId('squad')).toBeNull();
  });
});

describe('members', () => {
  it('adds a member the reach knows, changes the role and removes them, each naming the administrator', async () => {
    const w = world();
    expect(
      await addTenantMember(w.deps)(w.ada, { tenantId: 'team-a', userId: 'dev', role: 'volundr:viewer' }),
    ).toMatchObject({
      userId: 'dev',
      tenantId: 'team-a',
      role: 'volundr:viewer',
    });
    await expect(
      addTenantMember(w.deps)(w.ada, { tenantId: 'team-a', userId: 'dev', role: 'volundr:admin' }),
    ).rejects.toMatchObject({
      code: 'MEMBERSHIP_EXISTS',
    });
    expect(
      await setTenantMemberRole(w.deps)(w.ada, { tenantId: 'team-a', userId: 'dev', role: 'volundr:admin' }),
    ).toMatchObject({
      role: 'volundr:admin',
    });
    const members = await listTenantMembers(w.deps)(w.ada, { tenantId: 'team-a' });
    expect(members).toEqual([
      expect.objectContaining({ userId: 'dev', role: 'volundr:admin', email: 'dev@example.test', status: 'active' }),
    ]);
    await addTenantMember(w.deps)(w.ada, { tenantId: 'team-a', userId: 'vic', role: 'volundr:admin' });
    expect(await removeTenantMember(w.deps)(w.ada, { tenantId: 'team-a', userId: 'dev' })).toEqual({
      tenantId: 'team-a',
      userId: 'dev',
      removed: true,
    });
    expect(w.accounts.changes.map((c) => [c.what, c.actorId, c.userId])).toEqual([
      ['membership.created', 'ada', 'dev'],
      ['membership.role_set', 'ada', 'dev'],
      ['membership.created', 'ada', 'vic'],
      ['membership.removed', 'ada', 'dev'],
    ]);
  });

  it('never demotes or removes the last administrator of a tenant', async () => {
    const w = world();
    await expect(
      setTenantMemberRole(w.deps)(w.ada, { tenantId: 'acme', userId: 'ada', role: 'volundr:developer' }),
    ).rejects.toMatchObject({
      code: 'TENANT_LAST_ADMIN',
    });
    await expect(removeTenantMember(w.deps)(w.ada, { tenantId: 'acme', userId: 'ada' })).rejects.toMatchObject({
      code: 'TENANT_LAST_ADMIN',
    });
    await setTenantMemberRole(w.deps)(w.ada, { tenantId: 'acme', userId: 'dev', role: 'volundr:admin' });
    // The last member may go, administrator or not: the tenant is then empty.
    w.accounts.user('solo-admin', ['squad', 'volundr:admin']);
    await removeTenantMember(w.deps)(w.ada, { tenantId: 'squad', userId: 'solo-admin' });
    // With a second administrator, the first may step down.
    expect(
      await setTenantMemberRole(w.deps)(w.ada, { tenantId: 'acme', userId: 'ada', role: 'volundr:viewer' }),
    ).toMatchObject({
      role: 'volundr:viewer',
    });
  });

  it('reports users and memberships outside the reach as missing, and refuses non-administrators', async () => {
    const w = world();
    const add = addTenantMember(w.deps);
    await expect(add(w.ada, { tenantId: 'team-a', userId: 'gus', role: 'volundr:viewer' })).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
    await expect(add(w.ada, { tenantId: 'team-a', userId: 'nobody', role: 'volundr:viewer' })).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
    await expect(add(w.gus, { tenantId: 'acme', userId: 'gus', role: 'volundr:admin' })).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });
    await expect(add(w.dev, { tenantId: 'acme', userId: 'vic', role: 'volundr:admin' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      setTenantMemberRole(w.deps)(w.ada, { tenantId: 'team-a', userId: 'dev', role: 'volundr:admin' }),
    ).rejects.toMatchObject({
      code: 'MEMBERSHIP_NOT_FOUND',
    });
    await expect(removeTenantMember(w.deps)(w.vic, { tenantId: 'acme', userId: 'dev' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(listTenantMembers(w.deps)(w.dev, { tenantId: 'acme' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(listTenantMembers(w.deps)(w.gus, { tenantId: 'acme' })).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });
    expect(w.accounts.changes).toEqual([]);
  });
});
