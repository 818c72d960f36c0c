import { describe, expect, it } from 'vitest';
import { aPrincipal } from '../testing/principal-builder';
import { aSession } from '../testing/session-builder';
import { aSessionWorld } from '../testing/session-world';
import { deleteSession } from './delete-session';

const alice = aPrincipal().build();

describe('deleteSession', () => {
  it('removes the pod and workspace, runs cleanups in reverse, deletes chronicles and the row', async () => {
    const world = aSessionWorld();
    await world.sessions.insert(aSession().running().build());
    const result = await deleteSession(world.deps)(alice, {
      id: 'sess-1',
      cleanup: ['workspace_storage', 'chronicles'],
    });
    expect(result).toEqual({ id: 'sess-1', deleted: true });
    expect(world.podManager.deleteCalls).toEqual([
      { handle: { backend: 'memory', id: 'pod-sess-1-1', attemptId: 'sess-1-1' }, removeWorkspace: true },
    ]);
    expect(world.secrets.calls).toEqual(['deleteSessionSecrets:sess-1']);
    expect(world.storage.calls).toEqual(['deleteWorkspace:sess-1']);
    expect(world.gateway.calls).toEqual(['removeRoutes:sess-1']);
    expect(world.deletedChronicles).toEqual(['sess-1']);
    expect(await world.sessions.byId('sess-1')).toBeNull();
    expect(world.events.of('sess-1').map((e) => e.type)).toEqual(['session_deleted']);
  });

  it('keeps the workspace and chronicles unless asked', async () => {
    const world = aSessionWorld();
    await world.sessions.insert(aSession().stopped().build());
    await deleteSession(world.deps)(alice, { id: 'sess-1' });
    expect(world.podManager.deleteCalls[0]?.removeWorkspace).toBe(false);
    expect(world.storage.calls).toEqual(['archiveWorkspace:sess-1']);
    expect(world.deletedChronicles).toEqual([]);
  });

  it('finds the pod of an attempt whose handle was never recorded', async () => {
    const world = aSessionWorld();
    const session = aSession().starting().build();
    const attempt = { id: 'sess-1-1', sessionId: 'sess-1', number: 1 };
    const handle = await world.podManager.start(
      { session: { id: 'sess-1' }, pod: { containers: [] } } as never,
      attempt,
    );
    await world.sessions.insert({ ...session, runtime: { ...session.runtime, attemptId: attempt.id } });
    await deleteSession(world.deps)(alice, { id: 'sess-1' });
    expect(world.podManager.deleteCalls.map((c) => c.handle)).toEqual([handle]);
  });

  it('refuses to delete chronicles when the server has no chronicles store', async () => {
    const world = aSessionWorld();
    await world.sessions.insert(aSession().stopped().build());
    const { chronicles: _, ...deps } = world.deps;
    await expect(deleteSession(deps)(alice, { id: 'sess-1', cleanup: ['chronicles'] })).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
    expect(await world.sessions.byId('sess-1')).not.toBeNull();
  });

  it('refuses an unknown cleanup', async () => {
    const world = aSessionWorld();
    await expect(
      deleteSession(world.deps)(alice, { id: 'sess-1', cleanup: ['everything'] } as never),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
