import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { aSession } from '../testing/session-builder';
import { aSessionWorld } from '../testing/session-world';
import { archiveSession } from './archive-session';
import { restoreSession } from './restore-session';
import { startSession } from './start-session';
import { stopSession } from './stop-session';

const alice = aPrincipal().build();

async function worldWith(...sessions: ReturnType<ReturnType<typeof aSession>['build']>[]) {
  const world = aSessionWorld();
  for (const s of sessions) await world.sessions.insert(s);
  return world;
}

describe('startSession', () => {
  it('restarts a stopped or failed session with a new attempt and clears the old reason', async () => {
    for (const session of [aSession().stopped().build(), aSession().failed('Provisioning timed out').build()]) {
      const world = await worldWith(session);
      let woke = 0;
      const started = await startSession({ ...world.deps, notifyWork: () => woke++ })(alice, { id: session.id });
      expect(started).toMatchObject({ state: 'starting', stateReason: null });
      const stored = await world.sessions.byId(session.id);
      expect(stored?.runtime).toMatchObject({ attempt: 2, attemptId: null, handle: null });
      expect(stored?.launch).toEqual(session.launch);
      expect(woke).toBe(1);
      expect(world.events.of(session.id)).toMatchObject([
        { type: 'state_changed', data: { from: session.state, to: 'starting', reason: null } },
      ]);
    }
  });

  it('refuses a session that is already active', async () => {
    const world = await worldWith(aSession().running().build());
    await expect(startSession(world.deps)(alice, { id: 'sess-1' })).rejects.toMatchObject({
      code: 'SESSION_INVALID_TRANSITION',
    });
  });

  it('enforces the tenant quota', async () => {
    const world = aSessionWorld({ maxRunningSessions: 1 });
    await world.sessions.insert(aSession().withId('a').running().build());
    await world.sessions.insert(aSession().withId('b').stopped().build());
    await expect(startSession(world.deps)(alice, { id: 'b' })).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message: expect.stringContaining('1 of 1'),
    });
    expect((await world.sessions.byId('b'))?.state).toBe('stopped');
  });
});

describe('stopSession', () => {
  it.each(['starting', 'provisioning', 'running'] as const)('asks a %s session to stop', async (state) => {
    const world = await worldWith(aSession().inState(state).build());
    await expect(stopSession(world.deps)(alice, { id: 'sess-1' })).resolves.toMatchObject({ state: 'stopping' });
  });

  it('is a no-op for a session already stopping and refuses a stopped one', async () => {
    const world = await worldWith(aSession().stopping().build(), aSession().withId('s2').stopped().build());
    await expect(stopSession(world.deps)(alice, { id: 'sess-1' })).resolves.toMatchObject({ state: 'stopping' });
    expect(world.events.all).toHaveLength(0);
    await expect(stopSession(world.deps)(alice, { id: 's2' })).rejects.toMatchObject({
      code: 'SESSION_INVALID_TRANSITION',
    });
  });

  it('makes one transition out of two concurrent stops', async () => {
    const world = await worldWith(aSession().running().build());
    const stop = stopSession(world.deps);
    const results = await Promise.all([stop(alice, { id: 'sess-1' }), stop(alice, { id: 'sess-1' })]);
    expect(results.map((r) => r.state)).toEqual(['stopping', 'stopping']);
    expect(world.events.of('sess-1').filter((e) => e.type === 'state_changed')).toHaveLength(1);
    expect((await world.sessions.byId('sess-1'))?.version).toBe(2);
  });
});

describe('archiveSession', () => {
  it.each(['created', 'stopped', 'failed'] as const)('archives a %s session at once', async (state) => {
    const world = await worldWith(
      aSession()
        .inState(state)
        .with({ stateReason: state === 'failed' ? 'x' : null })
        .build(),
    );
    const archived = await archiveSession(world.deps)(alice, { id: 'sess-1' });
    expect(archived).toMatchObject({ state: 'archived', endpoints: null });
    expect(archived.archivedAt).not.toBeNull();
  });

  it('stops an active session first and marks it for archiving', async () => {
    const world = await worldWith(aSession().running().build());
    const result = await archiveSession(world.deps)(alice, { id: 'sess-1' });
    expect(result).toMatchObject({ state: 'stopping', stateReason: 'Stopping before archiving' });
    expect((await world.sessions.byId('sess-1'))?.runtime.afterStop).toBe('archive');
  });

  it('marks a session that is already stopping without another transition', async () => {
    const world = await worldWith(aSession().stopping().build());
    await archiveSession(world.deps)(alice, { id: 'sess-1' });
    expect((await world.sessions.byId('sess-1'))?.runtime.afterStop).toBe('archive');
    expect(world.events.all).toHaveLength(0);
  });

  it('refuses an archived session', async () => {
    const world = await worldWith(aSession().archived().build());
    await expect(archiveSession(world.deps)(alice, { id: 'sess-1' })).rejects.toMatchObject({
      code: 'SESSION_INVALID_TRANSITION',
    });
  });
});

describe('restoreSession', () => {
  it('brings an archived session back as stopped', async () => {
    const world = await worldWith(aSession().archived().build());
    const restored = await restoreSession(world.deps)(alice, { id: 'sess-1' });
    expect(restored).toMatchObject({ state: 'stopped', archivedAt: null });
    expect(restored.stoppedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('refuses to restore over a live session of the same name', async () => {
    const world = await worldWith(
      aSession().archived().build(),
      aSession().withId('s2').named('my-session').running().build(),
    );
    await expect(restoreSession(world.deps)(alice, { id: 'sess-1' })).rejects.toMatchObject({
      code: 'SESSION_NAME_TAKEN',
    });
  });

  it('refuses a session that is not archived', async () => {
    const world = await worldWith(aSession().stopped().build());
    await expect(restoreSession(world.deps)(alice, { id: 'sess-1' })).rejects.toMatchObject({
      code: 'SESSION_INVALID_TRANSITION',
    });
  });
});
