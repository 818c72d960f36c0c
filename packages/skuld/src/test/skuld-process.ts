/**
 * Runs the bundled broker (`dist/skuld.mjs`) as a real process for integration tests: builds
 * the bundle once per test file, starts it with `SKULD_*` variables, waits for its `listening`
 * line, and stops it by signal.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SKULD_NODE_FLAGS } from '../node-flags';

const packageDir = join(import.meta.dirname, '..', '..');
// One bundle per test process: test files run in parallel and must not read a half-written file.
const bundleName = `dist/test-${process.pid}.mjs`;
const bundle = join(packageDir, bundleName);

let built = false;
/** Bundles src/main.ts with the repository's bundler (≈0.2 s), as `npm run build` does. */
export function buildSkuld(): string {
  if (!built) {
    execFileSync(process.execPath, [join(packageDir, '..', '..', 'scripts', 'bundle.mjs'), 'src/main.ts', bundleName], {
      cwd: packageDir,
      stdio: 'pipe',
    });
    built = true;
    process.once('exit', () => {
      rmSync(bundle, { force: true });
      rmSync(`${bundle}.map`, { force: true });
    });
  }
  return bundle;
}

export interface SkuldProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  /** Everything written to stderr so far (JSON log lines). */
  stderr(): string;
  /** Waits for a log line containing `text`, written after stderr had `from` characters (default 0). */
  waitForLog(text: string, options?: { from?: number; timeoutMs?: number }): Promise<void>;
  /** Resident memory of the process in bytes (Linux /proc). */
  rssBytes(): number;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startSkuldProcess(env: Record<string, string>, timeoutMs = 15_000): Promise<SkuldProcess> {
  const file = buildSkuld();
  const child = spawn(process.execPath, [...SKULD_NODE_FLAGS, file], {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', SKULD_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const logWaiters = new Set<() => void>();
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of logWaiters) waiter();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`skuld did not start in time; stderr:\n${stderr}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.includes('"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`skuld exited with ${code} before listening; stderr:\n${stderr}`));
    });
  });

  return {
    child,
    port,
    url: `ws://127.0.0.1:${port}/ws/chat`,
    stderr: () => stderr,
    waitForLog(text, { from = 0, timeoutMs: ms = 15_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!stderr.includes(text, from)) return;
          clearTimeout(timer);
          logWaiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          logWaiters.delete(check);
          reject(new Error(`no log line with "${text}"; stderr:\n${stderr.slice(-3000)}`));
        }, ms);
        logWaiters.add(check);
        check();
      });
    },
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    async stop(signal = 'SIGTERM', ms = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const result = await Promise.race([
        exited,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`skuld did not exit within ${ms} ms after ${signal}; stderr:\n${stderr.slice(-3000)}`));
          }, ms);
        }),
      ]);
      clearTimeout(timer);
      return result;
    },
  };
}
