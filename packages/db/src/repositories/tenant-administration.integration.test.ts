import { isDomainError } from '@volundr/core/errors';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { beforeAll, expect, it } from 'vitest';
import type { Database } from '../client';
import { createAuditedAccountRepositories, createAuditLogRepository } from './audit-log';
import { createTenantsRepository } from './tenants';
import { createUsersRepository } from './users';

const t0 = new Date('2026-02-01T00:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isDomainError(error) ? error.code : `not a domain error: ${String(error)}`;
  }
  return 'resolved';
}

/** Tenants `/acme/` ⊃ `/acme/team/`, users with memberships `[user, tenant, role]`. */
async function seed(db: Database, members: [string, string, string][]) {
  await db.execute(`INSERT INTO tenants (id, path, name) VALUES ('acme', '/acme/', 'Acme')`);
  await db.execute(`INSERT INTO tenants (id, path, name, parent_id) VALUES ('team', '/acme/team/', 'Team', 'acme')`);
  for (const user of new Set(members.map(([u]) => u)))
    await db.execute(`INSERT INTO users (id, email, status) VALUES ($1, $1 || '@example.test', 'active')`, [user]);
  for (const [n, [user, tenant, role]] of members.entries())
    await db.execute(`INSERT INTO tenant_memberships (user_id, tenant_id, role, granted_at) VALUES ($1, $2, $3, $4)`, [
      user,
      tenant,
      role,
      later(n + 1).toISOString(),
    ]);
}

describeBothDatabases('tenant administration in the repositories', (getDb, getTarget) => {
  const users = () => createUsersRepository(getDb().drizzle);
  const tenants = () => createTenantsRepository(getDb().drizzle);

  beforeAll(async () => {
    await seed(getDb(), [
      ['ada', 'acme', 'volundr:admin'],
      ['bo', 'acme', 'volundr:developer'],
      ['bo', 'team', 'volundr:viewer'],
      ['cy', 'team', 'volundr:admin'],
      ['dee', 'acme', 'volundr:developer'],
    ]);
    await getDb().execute(`UPDATE users SET status = 'failed' WHERE id = 'dee'`);
  });

  it('lists the users of one tenant by id, by status, after a cursor', async () => {
    expect((await users().listInTenant({ tenantId: 'acme', limit: 10 })).map((u) => u.id)).toEqual([
      'ada',
      'bo',
      'dee',
    ]);
    expect((await users().listInTenant({ tenantId: 'acme', limit: 10, afterId: 'ada' })).map((u) => u.id)).toEqual([
      'bo',
      'dee',
    ]);
    expect((await users().listInTenant({ tenantId: 'acme', limit: 1 })).map((u) => u.id)).toEqual(['ada']);
    expect((await users().listInTenant({ tenantId: 'acme', status: 'failed', limit: 10 })).map((u) => u.id)).toEqual([
      'dee',
    ]);
    expect((await users().listInTenant({ tenantId: 'team', limit: 10 })).map((u) => u.id)).toEqual(['bo', 'cy']);
    expect(await users().listInTenant({ tenantId: 'nowhere', limit: 10 })).toEqual([]);
  });

  it('reads the memberships of several users in one query, oldest first per user', async () => {
    const rows = await tenants().membershipsOfUsers(['bo', 'cy', 'nobody']);
    expect(rows.map((m) => [m.userId, m.tenantId, m.role])).toEqual([
      ['bo', 'acme', 'volundr:developer'],
      ['bo', 'team', 'volundr:viewer'],
      ['cy', 'team', 'volundr:admin'],
    ]);
    expect(await tenants().membershipsOfUsers([])).toEqual([]);
  });

  it('adds a member once; a second add is MEMBERSHIP_EXISTS and changes nothing', async () => {
    const added = await tenants().addMember({
      userId: 'ada',
      tenantId: 'team',
      role: 'volundr:viewer',
      at: later(100),
      actorId: 'ada',
    });
    expect(added).toEqual({
      userId: 'ada',
      tenantId: 'team',
      role: 'volundr:viewer',
      grantedAt: later(100).toISOString(),
    });
    expect(
      await codeOf(
        tenants().addMember({ userId: 'ada', tenantId: 'team', role: 'volundr:admin', at: later(101), actorId: 'ada' }),
      ),
    ).toBe('MEMBERSHIP_EXISTS');
    expect((await tenants().membershipsOf('ada')).find((m) => m.tenantId === 'team')?.role).toBe('volundr:viewer');
    expect(await tenants().removeMember('ada', 'team', { actorId: 'ada', at: later(102) })).toMatchObject({
      role: 'volundr:viewer',
    });
  });

  it('changes roles and removes members but never the last administrator', async () => {
    const change = (userId: string, role: 'volundr:admin' | 'volundr:developer') =>
      tenants().changeRole({ userId, tenantId: 'team', role, at: later(200), actorId: 'ada' });
    expect(await codeOf(change('cy', 'volundr:developer'))).toBe('TENANT_LAST_ADMIN');
    expect(await codeOf(tenants().removeMember('cy', 'team', { actorId: 'ada', at: later(200) }))).toBe(
      'TENANT_LAST_ADMIN',
    );
    expect(await change('nobody', 'volundr:admin')).toBeNull();
    expect(await tenants().removeMember('nobody', 'team', { actorId: 'ada', at: later(200) })).toBeNull();
    expect(await change('bo', 'volundr:admin')).toMatchObject({
      before: { role: 'volundr:viewer' },
      after: { role: 'volundr:admin' },
    });
    // Two administrators now: one may go, then the other is the last again.
    expect(await change('cy', 'volundr:developer')).toMatchObject({ after: { role: 'volundr:developer' } });
    expect(await codeOf(change('bo', 'volundr:developer'))).toBe('TENANT_LAST_ADMIN');
    await change('cy', 'volundr:admin');

    // The last member may go, administrator or not: the tenant is then empty, not unadministered.
    await getDb().execute(`INSERT INTO tenants (id, path, name) VALUES ('solo', '/solo/', 'Solo')`);
    await getDb().execute(
      `INSERT INTO tenant_memberships (user_id, tenant_id, role) VALUES ('ada', 'solo', 'volundr:admin')`,
    );
    expect(
      await codeOf(
        tenants().changeRole({ userId: 'ada', tenantId: 'solo', role: 'volundr:viewer', at: t0, actorId: 'ada' }),
      ),
    ).toBe('TENANT_LAST_ADMIN');
    expect(await tenants().removeMember('ada', 'solo', { actorId: 'ada', at: t0 })).toMatchObject({
      role: 'volundr:admin',
    });
  });

  it('lets only one of two concurrent demotions of the last two administrators through', async () => {
    const repo = createTenantsRepository(getDb().drizzle);
    const setRole = (userId: string, role: 'volundr:admin' | 'volundr:developer') =>
      codeOf(repo.changeRole({ userId, tenantId: 'team', role, at: later(300), actorId: 'x' }));
    // On PostgreSQL each pair runs on two connections of the pool at once (PGlite runs them in
    // turn); without the per-tenant lock some pair would read "two admins" twice and both pass.
    for (let round = 0; round < 25; round += 1) {
      await setRole('bo', 'volundr:admin');
      await setRole('cy', 'volundr:admin');
      const outcomes = await Promise.all([setRole('bo', 'volundr:developer'), setRole('cy', 'volundr:developer')]);
      expect(outcomes.sort(), `${getTarget().driver}, round ${round}`).toEqual(['TENANT_LAST_ADMIN', 'resolved']);
      expect((await tenants().membersOf('team')).filter((m) => m.role === 'volundr:admin')).toHaveLength(1);
    }
  });

  it('deletes a tenant only when it holds nothing, saying what is left', async () => {
    const db = getDb();
    await db.execute(`INSERT INTO tenants (id, path, name, parent_id) VALUES ('gone', '/acme/gone/', 'Gone', 'acme')`);
    await db.execute(
      `INSERT INTO tenants (id, path, name, parent_id) VALUES ('kid', '/acme/gone/kid/', 'Kid', 'gone')`,
    );
    await db.execute(
      `INSERT INTO tenant_memberships (user_id, tenant_id, role) VALUES ('bo', 'gone', 'volundr:viewer')`,
    );
    await db.execute(
      `INSERT INTO sessions (id, name, owner_id, tenant_id, model, source) VALUES ('s-1', 'a', 'bo', 'gone', 'm', '{"type":"blank"}')`,
    );
    expect(await tenants().deleteIfEmpty('gone')).toEqual({
      deleted: false,
      contents: { members: 1, sessions: 1, chronicles: 0, workspaces: 0, children: 1 },
    });
    await db.execute(`DELETE FROM sessions WHERE id = 's-1'`);
    await db.execute(`DELETE FROM tenant_memberships WHERE tenant_id = 'gone'`);
    expect(await tenants().deleteIfEmpty('kid')).toEqual({ deleted: true });
    expect(await tenants().deleteIfEmpty('gone')).toEqual({ deleted: true });
    expect(await tenants().byId('gone')).toBeNull();
    expect(await tenants().deleteIfEmpty('gone')).toBeNull();
  });

  it('records administrators’ changes in the audit log, naming the administrator, with the change', async () => {
    const db = getDb();
    const audited = createAuditedAccountRepositories(db);
    const audit = createAuditLogRepository(db);
    await db.execute(`INSERT INTO tenants (id, path, name) VALUES ('audited', '/audited/', 'Audited')`);
    await db.execute(`INSERT INTO users (id, status) VALUES ('root', 'active'), ('eve', 'active')`);
    await audited.tenants.addMember({
      userId: 'root',
      tenantId: 'audited',
      role: 'volundr:admin',
      at: t0,
      actorId: 'root',
    });
    await audited.tenants.addMember({
      userId: 'eve',
      tenantId: 'audited',
      role: 'volundr:viewer',
      at: t0,
      actorId: 'root',
    });
    await audited.tenants.changeRole({
      userId: 'eve',
      tenantId: 'audited',
      role: 'volundr:developer',
      at: t0,
      actorId: 'root',
    });
    await audited.tenants.changeRole({
      userId: 'eve',
      tenantId: 'audited',
      role: 'volundr:developer',
      at: t0,
      actorId: 'root',
    }); // no change
    // A refused change leaves no entry: it was in the change's transaction.
    expect(
      await codeOf(
        audited.tenants.changeRole({
          userId: 'root',
          tenantId: 'audited',
          role: 'volundr:viewer',
          at: t0,
          actorId: 'root',
        }),
      ),
    ).toBe('TENANT_LAST_ADMIN');
    await audited.users.setSuspended('eve', true, t0, 'root');
    await audited.users.setSuspended('eve', false, t0, 'root');
    await audited.users.markActive('eve', { homeVolume: 'home-eve', at: t0, actorId: 'root' });
    await audited.tenants.removeMember('eve', 'audited', { actorId: 'root', at: t0 });

    const entries = await audit.list({ tenantId: 'audited', limit: 20 });
    expect(entries.map((e) => [e.action, e.actorId, e.resource.id, e.data])).toEqual([
      ['membership.removed', 'root', 'eve', { role: 'volundr:developer' }],
      ['user.provisioned', 'root', 'eve', { homeVolume: 'home-eve' }],
      ['user.reinstated', 'root', 'eve', { status: 'active' }],
      ['user.suspended', 'root', 'eve', { status: 'suspended' }],
      ['membership.role_set', 'root', 'eve', { role: 'volundr:developer', previousRole: 'volundr:viewer' }],
      ['membership.created', 'root', 'eve', { role: 'volundr:viewer' }],
      ['membership.created', 'root', 'root', { role: 'volundr:admin' }],
    ]);
  });
});
