import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CODE_SERVER_VERSION } from './code-server-version';

/** Where `installCodeServer` puts code-server inside a data dir. */
export const codeServerInstallDir = (dataDir: string): string => join(dataDir, 'tools', 'code-server');

/** The npm `.bin` link to code-server's entry script (`out/node/entry.js`) inside an install dir. */
export const codeServerBinPath = (installDir: string): string =>
  join(installDir, 'node_modules', '.bin', 'code-server');

/**
 * Written last, after the install was verified, so a half-finished or failed install is never
 * mistaken for a usable one.
 */
export const INSTALL_MARKER_FILE = 'volundr-install.json';

export const ZCodeServerInstallMarker = z.object({
  version: z.string().min(1),
  installedAt: z.string().min(1),
  nodeVersion: z.string().min(1),
  installSeconds: z.number().nonnegative(),
});
export type CodeServerInstallMarker = z.infer<typeof ZCodeServerInstallMarker>;

export interface CodeServerInstall {
  binPath: string;
  version: string;
}

/** The install in `dataDir`, when it is complete and of the pinned version; otherwise null. */
export function readCodeServerInstall(dataDir: string): CodeServerInstall | null {
  const installDir = codeServerInstallDir(dataDir);
  let marker: CodeServerInstallMarker;
  try {
    const parsed = ZCodeServerInstallMarker.safeParse(
      JSON.parse(readFileSync(join(installDir, INSTALL_MARKER_FILE), 'utf8')),
    );
    if (!parsed.success) return null;
    marker = parsed.data;
  } catch {
    return null;
  }
  if (marker.version !== CODE_SERVER_VERSION) return null;
  const binPath = codeServerBinPath(installDir);
  try {
    accessSync(binPath, constants.R_OK);
  } catch {
    return null;
  }
  return { binPath, version: marker.version };
}

/** Path of the installed code-server entry script, or null when it is not (completely) installed. */
export function findCodeServer(dataDir: string): string | null {
  return readCodeServerInstall(dataDir)?.binPath ?? null;
}
