/**
 * Starts the whole platform the way a person does — `./bin/volundr up` — on a free port with a
 * fresh data dir, and stops it. The admin password of the embedded identity provider is read
 * from the one line `up` prints on first start.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@volundr/testkit/free-port';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Platform {
  url: string;
  dataDir: string;
  adminPassword: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export { freePort };

const READY = /Volundr is running at (\S+)/;
const PASSWORD = /admin with password (\S+)/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips the CLI's ANSI colours
const ANSI = /\x1b\[[0-9;]*m/g;

/** Builds the web app (quick) so the front door serves the code under test. */
export function buildWeb(): void {
  const result = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'apps/web/node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: join(REPO_ROOT, 'apps/web'),
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (result.status !== 0) throw new Error(`vite build of apps/web failed (exit ${result.status})`);
}

export async function startPlatform(
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; prepare?: (dataDir: string) => Promise<void> } = {},
): Promise<Platform> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'volundr-e2e-'));
  try {
    await options.prepare?.(dataDir);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin/volundr'), 'up', '--port', String(port), '--data-dir', dataDir],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString().replace(ANSI, '');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 20_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = options.timeoutMs ?? 120_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`volundr up did not report ready within ${deadline} ms:\n${output}`)),
      deadline,
    );
    const check = () => {
      const match = READY.exec(output);
      if (match?.[1] && PASSWORD.test(output)) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`volundr up exited with ${code} before it was ready:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  const adminPassword = PASSWORD.exec(output)?.[1] ?? '';
  return { url, dataDir, adminPassword, process: child, output: () => output, stop };
}
