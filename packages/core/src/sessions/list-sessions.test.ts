import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { aSession } from '../testing/session-builder';
import { aSessionWorld } from '../testing/session-world';
import { archiveStoppedSessions } from './archive-stopped-sessions';
import { listSessions } from './list-sessions';
import { sessionById } from './session-by-id';
import { encodeSessionCursor } from './session-cursor';

const alice = aPrincipal().build();
const bob = aPrincipal().withId('u-bob').build();
const admin = aPrincipal().withId('u-admin').admin().build();
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));

async function seeded() {
  const world = aSessionWorld();
  const rows = [
    aSession()
      .withId('a1')
      .ownedBy(alice)
      .running()
      .with({ createdAt: at(1) }),
    aSession()
      .withId('a2')
      .ownedBy(alice)
      .stopped()
      .with({ createdAt: at(2) }),
    aSession()
      .withId('a3')
      .ownedBy(alice)
      .archived()
      .with({ createdAt: at(3) }),
    aSession()
      .withId('b1')
      .ownedBy(bob)
      .stopped()
      .with({ createdAt: at(4) }),
    aSession()
      .withId('x1')
      .ownedBy({ userId: 'u-alice', tenantId: 't-2' })
      .stopped()
      .with({ createdAt: at(5) }),
  ];
  for (const r of rows) await world.sessions.insert(r.build());
  return world;
}
const ids = (page: { items: { id: string }[] }) => page.items.map((s) => s.id);

describe('listSessions', () => {
  it('shows a developer only their own, newest first, without archived ones', async () => {
    const world = await seeded();
    expect(ids(await listSessions(world.deps)(alice))).toEqual(['a2', 'a1']);
    expect(ids(await listSessions(world.deps)(alice, { includeArchived: true }))).toEqual(['a3', 'a2', 'a1']);
    expect(ids(await listSessions(world.deps)(alice, { states: ['archived'] }))).toEqual(['a3']);
    expect(ids(await listSessions(world.deps)(alice, { ownerId: 'u-bob' }))).toEqual([]);
  });

  it('shows an admin the whole tenant and lets them filter by owner and state', async () => {
    const world = await seeded();
    expect(ids(await listSessions(world.deps)(admin))).toEqual(['b1', 'a2', 'a1']);
    expect(ids(await listSessions(world.deps)(admin, { ownerId: 'u-bob' }))).toEqual(['b1']);
    expect(ids(await listSessions(world.deps)(admin, { states: ['running'] }))).toEqual(['a1']);
  });

  it('pages with a cursor, including sessions created at the same instant', async () => {
    const world = aSessionWorld();
    for (let i = 0; i < 7; i++)
      await world.sessions.insert(
        aSession()
          .withId(`s${i}`)
          .with({ createdAt: at(i < 4 ? 0 : i) })
          .build(),
      );
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listSessions(world.deps)(alice, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...ids(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['s6', 's5', 's4', 's3', 's2', 's1', 's0']);
  });

  it('refuses a forged cursor and a page too large', async () => {
    const world = aSessionWorld();
    await expect(listSessions(world.deps)(alice, { cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(listSessions(world.deps)(alice, { limit: 101 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const valid = encodeSessionCursor({ createdAt: at(1), id: 'x' });
    await expect(listSessions(world.deps)(alice, { cursor: valid })).resolves.toEqual({ items: [], nextCursor: null });
  });
});

describe('sessionById', () => {
  it('returns the API view without internals', async () => {
    const world = await seeded();
    const view = await sessionById(world.deps)(alice, { id: 'a1' });
    expect(view).toMatchObject({ id: 'a1', state: 'running', cli: 'claude', endpoints: { chat: '/s/a1/ws/chat' } });
    for (const internal of ['version', 'runtime', 'spec', 'launch', 'leaseOwner', 'leaseExpiresAt'])
      expect(view).not.toHaveProperty(internal);
  });

  it("hides another tenant's session even from its owner id", async () => {
    const world = await seeded();
    await expect(sessionById(world.deps)(alice, { id: 'x1' })).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
  });
});

describe('archiveStoppedSessions', () => {
  it("archives the principal's stopped sessions only", async () => {
    const world = await seeded();
    expect(await archiveStoppedSessions(world.deps)(alice)).toEqual({ archived: ['a2'], skipped: [] });
    expect((await world.sessions.byId('b1'))?.state).toBe('stopped');
    expect((await world.sessions.byId('x1'))?.state).toBe('stopped');
  });
});
