import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this CLI runs from (the directory holding pnpm-workspace.yaml). */
export function checkoutRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Volundr checkout (pnpm-workspace.yaml) above the CLI');
    dir = parent;
  }
}

/** The built API server the supervisor runs (`VOLUNDR_API_ENTRY` overrides it). */
export function apiEntry(): string {
  return process.env.VOLUNDR_API_ENTRY ?? join(checkoutRoot(), 'apps/api/dist/api.mjs');
}
