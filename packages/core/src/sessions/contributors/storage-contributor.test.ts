import { describe, expect, it } from 'vitest';
import { fakeStorage } from '../../testing/fake-storage';
import { aSession } from '../../testing/session-builder';
import { aCleanupContext, aSessionContext } from '../../testing/session-context-builder';
import { storageContributor } from './storage-contributor';

describe('Storage contributor', () => {
  it('mounts the workspace and the home volume in every container', async () => {
    const storage = fakeStorage();
    const { values, podSpec } = await storageContributor(storage).contribute(
      aSessionContext(aSession().withId('s-1').build()),
    );
    expect(values.workspace).toEqual({ volume: 'workspace', mountPath: '/volundr/workspace' });
    expect(values.home).toEqual({ enabled: true, volume: 'home', mountPath: '/volundr/home' });
    expect(podSpec.volumes).toEqual([
      { name: 'workspace', source: { kind: 'directory', path: '/data/workspaces/s-1' } },
      { name: 'home', source: { kind: 'directory', path: '/data/homes/u-alice' } },
    ]);
    expect(podSpec.volumeMounts?.map((m) => m?.name)).toEqual(['workspace', 'home']);
    expect(storage.calls).toEqual(['ensureWorkspace:s-1', 'ensureHome:u-alice']);
  });

  it('works without home volumes', async () => {
    const { values, podSpec } = await storageContributor(fakeStorage({ home: false })).contribute(aSessionContext());
    expect(values.home).toEqual({ enabled: false });
    expect(podSpec.volumes?.map((v) => v?.name)).toEqual(['workspace']);
  });

  it('archives the workspace on stop and delete, deletes it only when asked', async () => {
    const storage = fakeStorage();
    const contributor = storageContributor(storage);
    const session = aSession().withId('s-2').build();
    await contributor.cleanup?.(aCleanupContext(session, 'stop'));
    await contributor.cleanup?.(aCleanupContext(session, 'delete', false));
    await contributor.cleanup?.(aCleanupContext(session, 'delete', true));
    expect(storage.calls).toEqual(['archiveWorkspace:s-2', 'archiveWorkspace:s-2', 'deleteWorkspace:s-2']);
  });
});
