import type { Storage } from '../ports/storage';
import type { Contributor } from '../session-context';

export interface StorageContributorOptions {
  workspaceMountPath?: string;
  homeMountPath?: string;
}

/** The workspace volume (kept across restarts) and the owner's home volume. */
export function storageContributor(storage: Storage, options: StorageContributorOptions = {}): Contributor {
  const workspaceMountPath = options.workspaceMountPath ?? '/volundr/workspace';
  const homeMountPath = options.homeMountPath ?? '/volundr/home';
  return {
    name: 'Storage',
    async contribute({ session }) {
      const ref = { sessionId: session.id, ownerId: session.ownerId, tenantId: session.tenantId };
      const workspace = await storage.ensureWorkspace(ref);
      const home = await storage.ensureHome({ ownerId: session.ownerId, tenantId: session.tenantId });
      return {
        values: {
          workspace: { volume: 'workspace', mountPath: workspaceMountPath },
          home: home ? { enabled: true, volume: 'home', mountPath: homeMountPath } : { enabled: false },
        },
        podSpec: {
          volumes: [{ name: 'workspace', source: workspace }, ...(home ? [{ name: 'home', source: home }] : [])],
          volumeMounts: [
            { name: 'workspace', mountPath: workspaceMountPath },
            ...(home ? [{ name: 'home', mountPath: homeMountPath }] : []),
          ],
        },
      };
    },
    async cleanup({ session, reason, removeWorkspace }) {
      if (reason === 'delete' && removeWorkspace) await storage.deleteWorkspace(session.id);
      else await storage.archiveWorkspace(session.id);
    },
  };
}
