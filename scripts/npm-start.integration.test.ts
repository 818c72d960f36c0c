/**
 * `npm start` on a fresh clone, as a newcomer runs it: it installs the pinned pnpm and the
 * dependencies, builds, migrates the embedded database and starts the platform; `/readyz`
 * answers 200. Run again, it installs and builds nothing (the time to ready of a warm start is
 * a benchmark: apps/cli/bench/up-ready.bench.ts). The clone is of the committed HEAD.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
  exited: Promise<number | null>;
}

/** `npm start -- --port … --data-dir …` in `cwd`, until it says it is running. */
function npmStart(cwd: string, port: number, dataDir: string): Promise<Started> {
  const child = spawn('npm', ['start', '--', '--port', String(port), '--data-dir', dataDir], {
    cwd,
    // Its own process group: stopping it stops npm, the bootstrap and `volundr up` together.
    detached: true,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Volundr is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve({ child, output: () => output, url: match[1]!, exited });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => reject(new Error(`npm start exited (${code}) before it was running:\n${output}`)));
  });
}

async function stop(started: Started | null): Promise<void> {
  if (!started || started.child.exitCode !== null) return;
  process.kill(-started.child.pid!, 'SIGTERM');
  await started.exited;
}

describe('npm start on a fresh clone', () => {
  let clone: string;
  let dataDir: string;
  let running: Started | null = null;

  beforeAll(() => {
    clone = mkdtempSync(join(tmpdir(), 'volundr-clone-'));
    dataDir = mkdtempSync(join(tmpdir(), 'volundr-start-'));
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', root, clone]);
  });
  afterAll(async () => {
    await stop(running);
    rmSync(clone, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('installs, builds, migrates and starts; the second run installs and builds nothing', async () => {
    const port = await freePort();
    running = await npmStart(clone, port, dataDir);
    expect(running.url).toBe(`http://127.0.0.1:${port}`);
    const first = running.output();
    expect(first).toMatch(/installing pnpm 10\.34\.9 into \.tools\/pnpm/);
    expect(first).toMatch(/installing dependencies \(pnpm install --frozen-lockfile\)/);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    await stop(running);

    running = await npmStart(clone, port, dataDir);
    const second = running.output();
    expect(second).not.toMatch(/installing/);
    const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(second);
    expect(cached, second).not.toBeNull();
    expect(cached![1]).toBe(cached![2]);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
  }, 900_000);
});
