import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The bundled API as `npm start` and containers run it (built by the integration setup). */
export const API_BUNDLE = join(import.meta.dirname, '../../dist/api.mjs');
const repoRoot = join(import.meta.dirname, '../../../..');

export interface ApiProcess {
  child: ChildProcess;
  port: number;
  base: string;
  /** Everything the process printed (for failure messages). */
  output(): string;
  /** Waits for the process to exit (after kill or stop). */
  exited: Promise<number | null>;
}

/**
 * Runs `apps/api/dist/api.mjs` as a child process with `config` (written to `<dataDir>/volundr.json`)
 * and resolves once it reports ready over IPC. `--import tsx` lets the configuration name the
 * testkit's TypeScript adapters by path (the file pod manager).
 */
export async function startApiProcess(options: {
  dataDir: string;
  config: Record<string, unknown>;
  env?: Record<string, string>;
  /** Extra node flags (e.g. `--cpu-prof` for a profile of a benchmark run). */
  execArgv?: string[];
  timeoutMs?: number;
}): Promise<ApiProcess> {
  if (!existsSync(API_BUNDLE)) throw new Error(`${API_BUNDLE} is missing: build it (pnpm --filter @volundr/api build)`);
  mkdirSync(options.dataDir, { recursive: true });
  const configFile = join(options.dataDir, 'volundr.json');
  writeFileSync(configFile, JSON.stringify(options.config));
  let output = '';
  const child = fork(API_BUNDLE, ['--config', configFile, '--data-dir', options.dataDir, '--port', '0'], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`the API did not report ready within ${options.timeoutMs ?? 60_000} ms:\n${output.slice(-3000)}`),
      );
    }, options.timeoutMs ?? 60_000);
    child.on('message', (message: { event?: string; port?: number }) => {
      if (message.event === 'ready' && typeof message.port === 'number') {
        clearTimeout(timer);
        resolve(message.port);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited (${code}) before it was ready:\n${output.slice(-3000)}`));
    });
  });
  return { child, port, base: `http://127.0.0.1:${port}`, output: () => output, exited };
}
