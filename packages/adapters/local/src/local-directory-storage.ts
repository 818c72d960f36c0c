import { mkdir, rm } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { VolumeSource } from '@volundr/contracts/session-spec';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { Storage } from '@volundr/core/sessions/ports/storage';
import { z } from 'zod';
import { homeDir, sessionPaths } from './runtime/session-paths';

export const ZLocalDirectoryStorageOptions = z.strictObject({
  dataDir: z.string().min(1).refine(isAbsolute, 'an absolute path'),
  /** Give every user a home dir (`<dataDir>/homes/<userId>`) shared by their sessions. */
  homes: z.boolean().default(true),
});
export type LocalDirectoryStorageOptions = z.input<typeof ZLocalDirectoryStorageOptions>;

/**
 * The Storage port in local mode: the workspace is `<dataDir>/sessions/<id>/workspace` and the
 * home `<dataDir>/homes/<userId>`, as the local PodManager expects. Ids that could escape the
 * data dir are refused (BAD_REQUEST) before any directory is made.
 */
export function createLocalDirectoryStorage(input: LocalDirectoryStorageOptions): Storage {
  const options = ZLocalDirectoryStorageOptions.parse(input);
  const directory = (path: string): VolumeSource => ({ kind: 'directory', path });
  return {
    async ensureWorkspace(session) {
      const { workspaceDir } = sessionPaths(options.dataDir, session.sessionId);
      await mkdir(workspaceDir, { recursive: true, mode: 0o700 });
      return directory(workspaceDir);
    },
    async ensureHome(owner) {
      if (!options.homes) return null;
      const home = homeDir(options.dataDir, owner.ownerId);
      await mkdir(home, { recursive: true, mode: 0o700 });
      return directory(home);
    },
    // A local workspace is just kept on disk; there is nothing to archive.
    async archiveWorkspace(sessionId) {
      sessionPaths(options.dataDir, sessionId);
    },
    async deleteWorkspace(sessionId) {
      await rm(sessionPaths(options.dataDir, sessionId).sessionDir, { recursive: true, force: true });
    },
  };
}

/** `{ use: "@volundr/adapter-local/local-directory-storage#localDirectoryStorage", dataDir }` */
export const localDirectoryStorage = defineAdapter({
  port: 'storage',
  options: ZLocalDirectoryStorageOptions,
  create: (options): Storage => createLocalDirectoryStorage(options),
});
