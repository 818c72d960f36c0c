import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli';

// The same cache dir as the IDE adapter's own test: the first run on a machine installs (~30 s),
// every later one finds it.
const cacheDataDir = join(homedir(), '.cache/volundr-test/code-server');

describe('volundr ide install', () => {
  it('installs code-server into a data dir once, then finds it', async () => {
    const first = await runCli(['ide', 'install', '--data-dir', cacheDataDir]);
    expect(first.code, first.stderr).toBe(0);
    const again = await runCli(['ide', 'install', '--data-dir', cacheDataDir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^code-server is already installed: \S+code-server\S*\n$/);
  }, 300_000);
});
