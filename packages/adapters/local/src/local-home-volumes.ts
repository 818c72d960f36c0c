import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { HomeVolumes } from '@volundr/core/identity/ports/home-volumes';

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The directory name of a user's home: the user id itself when it is a safe file name, else a
 * hash of it, so an IdP subject like `auth0|abc` or `../x` can never escape the homes directory.
 */
export function homeDirName(userId: string): string {
  return SAFE.test(userId) && !userId.includes('..')
    ? userId
    : `u-${createHash('sha256').update(userId).digest('hex').slice(0, 32)}`;
}

/** Home volumes as directories under `<dataDir>/homes/` (local mode). */
export function createLocalHomeVolumes(dataDir: string): HomeVolumes & { pathOf(userId: string): string } {
  const root = join(dataDir, 'homes');
  const pathOf = (userId: string) => join(root, homeDirName(userId));
  return {
    pathOf,
    async ensureHomeVolume(userId) {
      await mkdir(pathOf(userId), { recursive: true, mode: 0o700 });
      return homeDirName(userId);
    },
  };
}
