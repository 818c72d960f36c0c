import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { expect, it } from 'vitest';
import { createAuditedAccountRepositories, createAuditLogRepository } from './audit-log';

const at = new Date('2026-03-01T10:00:00.000Z');

describeBothDatabases('audit log repository', (getDb) => {
  it('appends entries and lists them newest first, filtered and paged; entries cannot be changed', async () => {
    const audit = createAuditLogRepository(getDb());
    for (let i = 0; i < 5; i++) {
      await audit.record({
        tenantId: i === 4 ? 't-other' : 't-1',
        actorId: i % 2 === 0 ? 'dave' : 'alice',
        action: i % 2 === 0 ? 'authz.acted_on_other' : 'token.created',
        resource: { kind: 'session', id: `s-${i}`, ownerId: 'alice' },
        reason: i % 2 === 0 ? "tenant admin acting on another user's session (owner alice)" : null,
        data: { n: i },
        at: new Date(at.getTime() + i * 1000),
      });
    }
    const all = await audit.list({ tenantId: 't-1', limit: 10 });
    expect(all.map((e) => e.data.n)).toEqual([3, 2, 1, 0]);
    expect(all[1]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: new Date(at.getTime() + 2000).toISOString(),
      tenantId: 't-1',
      actorId: 'dave',
      action: 'authz.acted_on_other',
      resource: { kind: 'session', id: 's-2', ownerId: 'alice' },
      reason: "tenant admin acting on another user's session (owner alice)",
      data: { n: 2 },
    });
    expect((await audit.list({ tenantId: 't-1', actorId: 'dave', limit: 10 })).map((e) => e.data.n)).toEqual([2, 0]);
    expect((await audit.list({ tenantId: 't-1', action: 'token.created', limit: 10 })).length).toBe(2);
    expect((await audit.list({ tenantId: 't-1', beforeId: all[1]!.id, limit: 10 })).map((e) => e.data.n)).toEqual([
      1, 0,
    ]);
    expect(
      (
        await audit.list({
          tenantId: 't-1',
          since: new Date(at.getTime() + 1000),
          until: new Date(at.getTime() + 3000),
          limit: 10,
        })
      ).map((e) => e.data.n),
    ).toEqual([2, 1]);
    await expect(getDb().execute(`UPDATE audit_log SET actor_id = 'mallory'`)).rejects.toThrow(/cannot be changed/);
  });

  it('deletes entries past retention in batches, and only those', async () => {
    const audit = createAuditLogRepository(getDb());
    const old = new Date('2020-01-01T00:00:00.000Z');
    for (let i = 0; i < 5; i++) {
      await audit.record({
        tenantId: 't-retention',
        actorId: 'dave',
        action: 'token.created',
        resource: { kind: 'personal_access_token', id: `old-${i}`, ownerId: 'dave' },
        reason: null,
        data: {},
        at: new Date(old.getTime() + i * 1000),
      });
    }
    await audit.record({
      tenantId: 't-retention',
      actorId: 'dave',
      action: 'token.revoked',
      resource: { kind: 'personal_access_token', id: 'recent', ownerId: 'dave' },
      reason: null,
      data: {},
      at: new Date('2026-06-01T00:00:00.000Z'),
    });
    expect(await audit.deleteOlderThan(new Date('2021-01-01T00:00:00.000Z'), 2)).toBe(5);
    const left = await audit.list({ tenantId: 't-retention', limit: 10 });
    expect(left.map((e) => e.resource.id)).toEqual(['recent']);
    expect(await audit.deleteOlderThan(new Date('2021-01-01T00:00:00.000Z'))).toBe(0);
  });

  it('records token, provisioning and membership changes in the same transaction as the change', async () => {
    const db = getDb();
    const { users, tenants, tokens } = createAuditedAccountRepositories(db);
    const audit = createAuditLogRepository(db);
    await users.upsertProvisioning({ id: 'bob', email: null, displayName: null, at, staleBefore: at });
    await tenants.ensureRoot({ id: 't-2', name: 't-2', at });
    await tenants.ensureMembership({ userId: 'bob', tenantId: 't-2', role: 'volundr:developer', at });
    await tenants.ensureMembership({ userId: 'bob', tenantId: 't-2', role: 'volundr:developer', at: new Date() }); // no change
    await users.markActive('bob', { homeVolume: 'home-bob', at });
    const token = {
      id: 'pat-1',
      ownerId: 'bob',
      name: 'ci',
      tokenHash: 'a'.repeat(64),
      tokenPrefix: 'vpat_abcd',
      sessionId: null,
      expiresAt: null,
      at,
    };
    await tokens.insert(token);
    // A refused insert (name taken) leaves no entry behind: the entry was in its transaction.
    await expect(tokens.insert({ ...token, id: 'pat-2', tokenHash: 'b'.repeat(64) })).rejects.toMatchObject({
      code: 'PERSONAL_ACCESS_TOKEN_NAME_TAKEN',
    });
    await tokens.revoke('pat-1', at);
    await tokens.revoke('pat-1', at); // already revoked: nothing new
    await tenants.setMembership({ userId: 'bob', tenantId: 't-2', role: 'volundr:viewer', at });

    const entries = await audit.list({ tenantId: 't-2', limit: 20 });
    expect(entries.map((e) => [e.action, e.actorId, e.resource.kind, e.resource.id])).toEqual([
      ['membership.role_set', 'system', 'user', 'bob'],
      ['token.revoked', 'bob', 'personal_access_token', 'pat-1'],
      ['token.created', 'bob', 'personal_access_token', 'pat-1'],
      ['user.provisioned', 'bob', 'user', 'bob'],
      ['membership.created', 'system', 'user', 'bob'],
    ]);
    expect(entries[2]!.data).toEqual({ name: 'ci', prefix: 'vpat_abcd', sessionId: null, expiresAt: null });
    expect(JSON.stringify(entries)).not.toContain('a'.repeat(64));
  });
});
