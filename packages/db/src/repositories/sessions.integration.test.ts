import { isDomainError } from '@volundr/core/errors';
import type { SessionRecord } from '@volundr/core/sessions/session-record';
import { aLaunch, aSession } from '@volundr/core/testing/session-builder';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { beforeAll, expect, it } from 'vitest';
import { type Database, openDatabase } from '../client';
import { createSessionsRepository } from './sessions';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isDomainError(error) ? error.code : `not a domain error: ${String(error)}`;
  }
  return 'resolved';
}

/** Users and tenants the sessions' foreign keys need. */
async function seedPrincipals(db: Database, tenants: string[], users: string[]) {
  for (const t of tenants) await db.execute(`INSERT INTO tenants (id, path, name) VALUES ($1, $2, $1)`, [t, `/${t}/`]);
  for (const u of users) await db.execute(`INSERT INTO users (id, status) VALUES ($1, 'active')`, [u]);
}

const bob = { userId: 'u-bob', tenantId: 't-1' };
const carol = { userId: 'u-carol', tenantId: 't-2' };

describeBothDatabases('sessions repository', (getDb, getTarget) => {
  const repo = () => createSessionsRepository(getDb());
  let n = 0;
  /** A fresh session with a unique id and name, created at t0 + n ms unless given. */
  const fresh = (fields: Partial<SessionRecord> = {}) => {
    n += 1;
    return aSession()
      .withId(`s-${n}`)
      .with({ createdAt: at(n), updatedAt: at(n), ...fields })
      .build();
  };

  beforeAll(async () => {
    await seedPrincipals(getDb(), ['t-1', 't-2'], ['u-alice', 'u-bob', 'u-carol']);
  });

  it('stores a session column for column and reads it back as written (endpoints and spec null)', async () => {
    const session = fresh({
      source: { type: 'git', repo: 'https://git.example.test/org/app', branch: 'main', baseBranch: 'dev' },
      launch: aLaunch({ env: { A: '1' }, repos: [{ url: 'https://git.example.test/o/x', path: 'x' }] }),
      activityMetadata: { tool: 'bash' },
      tokensUsed: 1234,
      costUsd: 1.5,
      idleTimeoutMinutes: 30,
    });
    await repo().insert(session);
    expect(await repo().byId(session.id)).toEqual(session);
    expect(await repo().byId('nope')).toBeNull();
    const [raw] = await getDb().execute(`SELECT endpoints, spec FROM sessions WHERE id = $1`, [session.id]);
    expect(raw).toEqual({ endpoints: null, spec: null });
  });

  it('update writes only the patch, bumps the version, and checks the expected version', async () => {
    const session = fresh();
    await repo().insert(session);
    const endpoints = { chat: '/s/x/ws/chat', code: null, terminal: '/s/x/terminal/' };
    const updated = await repo().update(session.id, 1, {
      state: 'starting',
      stateReason: null,
      endpoints,
      updatedAt: at(10_000),
    });
    expect(updated).toEqual({ ...session, state: 'starting', endpoints, version: 2, updatedAt: at(10_000) });
    expect(await codeOf(repo().update(session.id, 1, { updatedAt: at(1) }))).toBe('CONCURRENT_MODIFICATION');
    expect(await codeOf(repo().update('missing', 1, { updatedAt: at(1) }))).toBe('SESSION_NOT_FOUND');
    const cleared = await repo().update(session.id, 2, { endpoints: null, updatedAt: at(10_001) });
    expect(cleared.endpoints).toBeNull();
    expect(await codeOf(repo().delete(session.id, 2))).toBe('CONCURRENT_MODIFICATION');
    await repo().delete(session.id, 3);
    expect(await repo().byId(session.id)).toBeNull();
    expect(await codeOf(repo().delete(session.id, 3))).toBe('SESSION_NOT_FOUND');
  });

  it('a write returns its record whole: documents it did not change come from the version before, when known', async () => {
    const mine = repo();
    const other = repo(); // another process: its writes never reach `mine`'s memory
    const session = fresh({ launch: aLaunch({ env: { A: '1' } }) });
    await mine.insert(session);
    const v1 = await mine.byId(session.id);
    const runtime = { ...session.runtime, attempt: 1, attemptId: `${session.id}-1` };
    const v2 = await mine.update(session.id, 1, { runtime, updatedAt: at(1) });
    expect(v2).toEqual({ ...session, runtime, version: 2, updatedAt: at(1) });
    expect(v2.launch).toBe(v1?.launch); // the same parsed document, not parsed again
    // Changed elsewhere at version 2: `mine` knows nothing of version 3 and reads it whole.
    const launch = aLaunch({ env: { B: '2' } });
    await other.update(session.id, 2, { launch, updatedAt: at(2) });
    const v4 = await mine.update(session.id, 3, { state: 'starting', updatedAt: at(3) });
    expect(v4).toEqual({ ...session, runtime, launch, state: 'starting', version: 4, updatedAt: at(3) });
    expect(await other.byId(session.id)).toEqual(v4);
  });

  it('names are unique per owner among sessions that are not archived (insert, rename, restore)', async () => {
    const first = fresh({ name: 'dup-name' });
    await repo().insert(first);
    expect(await codeOf(repo().insert(fresh({ name: 'dup-name' })))).toBe('SESSION_NAME_TAKEN');
    await repo().insert(fresh({ name: 'dup-name', ownerId: bob.userId })); // another owner: fine

    const other = fresh({ name: 'other-name' });
    await repo().insert(other);
    expect(await codeOf(repo().update(other.id, 1, { name: 'dup-name', updatedAt: at(1) }))).toBe('SESSION_NAME_TAKEN');

    const archived = await repo().update(first.id, 1, { state: 'archived', updatedAt: at(2) });
    const reuse = fresh({ name: 'dup-name' });
    await repo().insert(reuse); // the archived one no longer holds the name
    expect(await codeOf(repo().update(first.id, archived.version, { state: 'stopped', updatedAt: at(3) }))).toBe(
      'SESSION_NAME_TAKEN',
    );
  });

  it.each([
    ['plain SQL (given the database)', () => createSessionsRepository(getDb())],
    ['drizzle (given its handle)', () => createSessionsRepository(getDb().drizzle)],
  ])(
    'lists newest first with a stable cursor, filters in the query, and hides archived unless asked: %s',
    async (_label, lister) => {
      const tenant = `t-list-${_label.length}`; // one tenant per variant
      await getDb().execute(`INSERT INTO tenants (id, path, name) VALUES ($1, $2, $1) ON CONFLICT DO NOTHING`, [
        tenant,
        `/${tenant}/`,
      ]);
      const same = at(50_000);
      // Five sessions created in the same millisecond: the id breaks the tie.
      const rows = ['l-a', 'l-b', 'l-c', 'l-d', 'l-e'].map((id, i) =>
        aSession()
          .withId(`${id}-${tenant}`)
          .ownedBy({ ...carol, tenantId: tenant })
          .with({ createdAt: i < 3 ? same : at(60_000 + i), updatedAt: same })
          .build(),
      );
      rows[1] = { ...rows[1]!, state: 'archived' };
      rows[2] = { ...rows[2]!, state: 'running' };
      for (const row of rows) await repo().insert(row);

      const ids = async (query: Parameters<ReturnType<typeof repo>['list']>[0]) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await lister().list({ ...query, ...(cursor ? { cursor } : {}) });
          seen.push(...page.items.map((s) => s.id.slice(0, 3)));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return seen;
      };
      expect(await ids({ tenantId: tenant, includeArchived: false, limit: 2 })).toEqual(['l-e', 'l-d', 'l-c', 'l-a']);
      expect(await ids({ tenantId: tenant, includeArchived: true, limit: 1 })).toEqual([
        'l-e',
        'l-d',
        'l-c',
        'l-b',
        'l-a',
      ]);
      expect(
        await ids({ tenantId: tenant, includeArchived: false, states: ['archived', 'running'], limit: 10 }),
      ).toEqual(['l-c', 'l-b']);
      expect(await ids({ tenantId: tenant, ownerId: 'u-alice', includeArchived: true, limit: 10 })).toEqual([]);
      const page = await lister().list({ tenantId: tenant, includeArchived: false, limit: 4 });
      expect(page.nextCursor).toBeNull();
      // Column for column what byId reads.
      for (const item of page.items) expect(item).toEqual(await repo().byId(item.id));
      expect(await codeOf(lister().list({ tenantId: tenant, includeArchived: false, limit: 4, cursor: '!!' }))).toBe(
        'BAD_REQUEST',
      );
    },
  );

  it('lists fresh documents after an update and hands out cached ones frozen', async () => {
    const tenant = { userId: 'u-bob', tenantId: 't-1' };
    const session = aSession()
      .withId('cache-1')
      .ownedBy(tenant)
      .with({ createdAt: at(900_000), updatedAt: at(1) })
      .build();
    await repo().insert(session);
    const list = () => repo().list({ tenantId: 't-1', ownerId: 'u-bob', includeArchived: true, limit: 1 });
    const shared = createSessionsRepository(getDb().drizzle);
    const first = (await shared.list({ tenantId: 't-1', ownerId: 'u-bob', includeArchived: true, limit: 1 })).items[0]!;
    expect(first.launch.model).toBe('claude-sonnet');
    expect(() => {
      (first.launch as { model: string }).model = 'changed';
    }).toThrow(TypeError);
    await repo().update(session.id, 1, { launch: aLaunch({ model: 'claude-opus' }), updatedAt: at(2) });
    const again = (await shared.list({ tenantId: 't-1', ownerId: 'u-bob', includeArchived: true, limit: 1 })).items[0]!;
    expect(again).toMatchObject({ version: 2, launch: { model: 'claude-opus' } });
    expect((await list()).items[0]).toEqual(await repo().byId(session.id));
  });

  it('lists a row read again unchanged as the same frozen record, and any write (activity too) as a new one', async () => {
    const session = aSession()
      .withId('listed-1')
      .ownedBy(carol)
      .with({ createdAt: at(800_000), state: 'running' })
      .build();
    await repo().insert(session);
    const shared = repo();
    const list = async () =>
      (await shared.list({ tenantId: 't-2', ownerId: 'u-carol', includeArchived: false, limit: 1 })).items[0]!;
    const first = await list();
    expect(first).toEqual(await shared.byId(session.id));
    expect(Object.isFrozen(first) && Object.isFrozen(first.activityMetadata)).toBe(true);
    expect(await list()).toBe(first);

    await shared.recordActivity(session.id, { state: 'tool_executing', metadata: { tool: 'Bash' }, at: at(5) });
    const active = await list();
    expect(active).not.toBe(first);
    expect(active).toMatchObject({ version: 1, activityState: 'tool_executing', activityMetadata: { tool: 'Bash' } });

    await shared.update(session.id, 1, { name: 'listed-renamed', updatedAt: at(6) });
    const renamed = await list();
    expect(renamed).toMatchObject({ version: 2, name: 'listed-renamed', activityState: 'tool_executing' });
    expect(await list()).toBe(renamed);
  });

  it('counts the sessions holding a quota slot per tenant', async () => {
    const before = await repo().countRunningForTenant('t-1');
    await repo().insert(fresh({ state: 'starting' }));
    await repo().insert(fresh({ state: 'running' }));
    await repo().insert(fresh({ state: 'stopping' }));
    await repo().insert(fresh({ state: 'stopped' }));
    expect(await repo().countRunningForTenant('t-1')).toBe(before + 2);
  });

  it('claims work with leases that never bump the version, renews and releases them', async () => {
    const db = getDb();
    await db.execute(`UPDATE sessions SET state = 'stopped' WHERE state IN ('starting','provisioning','stopping')`);
    const a = fresh({ state: 'starting', updatedAt: at(-3) });
    const b = fresh({ state: 'provisioning', updatedAt: at(-2) });
    const c = fresh({ state: 'stopping', updatedAt: at(-1) });
    const idle = fresh({ state: 'running' });
    for (const s of [a, b, c, idle]) await repo().insert(s);

    const first = await repo().claimWork('replica-1', 30_000, 2);
    expect(first.map((s) => s.id)).toEqual([a.id, b.id]);
    expect(first.every((s) => s.leaseOwner === 'replica-1' && s.version === 1 && s.leaseExpiresAt)).toBe(true);
    // Another replica gets only what is free; the first one keeps getting what it holds.
    expect((await repo().claimWork('replica-2', 30_000, 10)).map((s) => s.id)).toEqual([c.id]);
    expect((await repo().claimWork('replica-1', 30_000, 10)).map((s) => s.id)).toEqual([a.id, b.id]);
    expect(await repo().claimWork('replica-3', 30_000, 10)).toEqual([]);

    expect(await repo().renewLease(a.id, 'replica-1', 60_000)).toBe(true);
    expect(await repo().renewLease(a.id, 'replica-2', 60_000)).toBe(false);
    await repo().releaseLease(a.id, 'replica-2'); // not the holder: no-op
    expect((await repo().byId(a.id))?.leaseOwner).toBe('replica-1');
    await repo().releaseLease(a.id, 'replica-1');
    expect(await repo().byId(a.id)).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, version: 1 });

    // An expired lease is taken over (the crashed replica's work resumes elsewhere).
    await db.execute(`UPDATE sessions SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [b.id]);
    expect((await repo().claimWork('replica-3', 30_000, 10)).map((s) => s.id)).toEqual([a.id, b.id]);

    // A write within the work states keeps the lease; one that leaves them frees it.
    const moved = await repo().update(b.id, 1, { state: 'stopping', updatedAt: at(1) });
    expect(moved).toMatchObject({ leaseOwner: 'replica-3', version: 2 });
    const stopped = await repo().update(b.id, 2, { state: 'stopped', updatedAt: at(2) });
    expect(stopped).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, version: 3 });
    expect(await repo().byId(b.id)).toMatchObject({ leaseOwner: null, leaseExpiresAt: null });
  });

  it('concurrent claimers on separate connections never take the same session', async () => {
    const target = getTarget();
    const db = getDb();
    await db.execute(`UPDATE sessions SET state = 'stopped' WHERE state IN ('starting','provisioning','stopping')`);
    const work = Array.from({ length: 40 }, () => fresh({ state: 'starting' }));
    for (const s of work) await repo().insert(s);
    // On PostgreSQL: four pools = four API processes. PGlite has one connection and one owner.
    const pools =
      target.url === null
        ? [db, db, db, db]
        : await Promise.all(
            Array.from({ length: 4 }, () => openDatabase({ driver: 'postgres', url: target.url!, max: 2 })),
          );
    try {
      // Eight claimers (two per connection pool), each wanting five of the forty.
      const claims = await Promise.all(
        pools.flatMap((pool, i) =>
          [0, 1].map((j) => createSessionsRepository(pool.drizzle).claimWork(`replica-${i}-${j}`, 30_000, 5)),
        ),
      );
      const byReplica = new Map<string, string>();
      for (const claim of claims) {
        expect(claim).toHaveLength(5);
        for (const s of claim) {
          expect(byReplica.has(s.id)).toBe(false);
          byReplica.set(s.id, s.leaseOwner!);
        }
      }
      expect(byReplica.size).toBe(40);
    } finally {
      if (target.url !== null) await Promise.all(pools.map((p) => p.close()));
    }
  });

  it('finds running sessions past their idle timeout or the maximum lifetime', async () => {
    const running = (fields: Partial<SessionRecord>) => fresh({ state: 'running', runningSince: at(0), ...fields });
    const idleLong = running({ idleTimeoutMinutes: 10, lastActivityAt: at(60_000) });
    const idleButActive = running({ idleTimeoutMinutes: 10, activityState: 'active' });
    const recentlyActive = running({ idleTimeoutMinutes: 10, lastActivityAt: at(20 * 60_000) });
    const noTimeout = running({ idleTimeoutMinutes: null });
    const stopped = fresh({ state: 'stopped', idleTimeoutMinutes: 1, runningSince: at(0) });
    for (const s of [idleLong, idleButActive, recentlyActive, noTimeout, stopped]) await repo().insert(s);
    const mine = new Set([idleLong, idleButActive, recentlyActive, noTimeout, stopped].map((s) => s.id));

    const now = at(25 * 60_000);
    const idleOnly = await repo().findExpired({ now, maxLifetimeMs: null, limit: 100 });
    expect(idleOnly.filter((s) => mine.has(s.id)).map((s) => s.id)).toEqual([idleLong.id]);
    const withLifetime = await repo().findExpired({ now, maxLifetimeMs: 20 * 60_000, limit: 100 });
    expect(
      withLifetime
        .filter((s) => mine.has(s.id))
        .map((s) => s.id)
        .sort(),
    ).toEqual([idleLong.id, idleButActive.id, recentlyActive.id, noTimeout.id].sort());
  });

  it('records activity without a version check or bump', async () => {
    const session = fresh({ state: 'running' });
    await repo().insert(session);
    await repo().recordActivity(session.id, { state: 'tool_executing', metadata: { tool: 'Bash' }, at: at(99) });
    expect(await repo().byId(session.id)).toMatchObject({
      activityState: 'tool_executing',
      activityMetadata: { tool: 'Bash' },
      lastActivityAt: at(99),
      version: 1,
    });
    expect(await codeOf(repo().recordActivity('missing', { state: 'idle', metadata: {}, at: at(1) }))).toBe(
      'SESSION_NOT_FOUND',
    );
  });
});
