/**
 * The browser IDE for the e2e platform: code-server installed once into the cache the local
 * runtime's integration tests share (the first run pays about a minute), then linked into the
 * fresh data dir where `volundr up` looks for it.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { installCodeServer } from '@volundr/adapter-local/ide/code-server-install';

const cacheDir = join(homedir(), '.cache', 'volundr-test', 'code-server');

export async function linkCodeServer(dataDir: string): Promise<void> {
  await installCodeServer({
    dataDir: cacheDir,
    onProgress: (p) => {
      if (p.phase !== 'done') process.stderr.write(`[e2e] code-server: ${p.message}\n`);
    },
  });
  mkdirSync(join(dataDir, 'tools'), { recursive: true });
  symlinkSync(join(cacheDir, 'tools', 'code-server'), join(dataDir, 'tools', 'code-server'), 'dir');
}
