import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The ready line volundr-terminal prints on stdout once it listens. */
export const ZTerminalReadyLine = z.object({
  event: z.literal('listening'),
  host: z.string(),
  port: z.number().int().positive(),
  basePath: z.string(),
});

let built: Promise<void> | undefined;

/**
 * Bundles the server (dist/terminal.mjs) once per test process, so tests run the artifact the
 * bin runs. Built in a private dir and renamed into place: concurrent test files never see a
 * half-written bundle.
 */
export function buildTerminalBundle(): Promise<void> {
  built ??= (async () => {
    const dist = join(packageRoot, 'dist');
    await mkdir(dist, { recursive: true });
    const tmp = await mkdtemp(join(dist, '.build-'));
    try {
      await promisify(execFile)(
        process.execPath,
        ['../../scripts/bundle.mjs', 'src/main.ts', join(tmp, 'terminal.mjs')],
        { cwd: packageRoot },
      );
      await rename(join(tmp, 'terminal.mjs.map'), join(dist, 'terminal.mjs.map'));
      await rename(join(tmp, 'terminal.mjs'), join(dist, 'terminal.mjs'));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  })();
  return built;
}

export interface TerminalProcess {
  port: number;
  /** `http://127.0.0.1:<port><basePath>/` */
  pageUrl: string;
  child: ChildProcess;
  /** Everything the server logged so far (pino JSON lines). */
  stderr(): string;
  /** SIGTERM, then SIGKILL after the deadline; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `bin/volundr-terminal.mjs` with `args` (add `--port 0`) and waits for its ready line. */
export async function startTerminalProcess(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<TerminalProcess> {
  await buildTerminalBundle();
  const child = spawn(process.execPath, [join(packageRoot, 'bin', 'volundr-terminal.mjs'), ...args], {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<z.infer<typeof ZTerminalReadyLine>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`volundr-terminal printed no ready line; stderr:\n${stderr}`));
    }, options.timeoutMs ?? 15_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(ZTerminalReadyLine.parse(JSON.parse(line)));
      } catch (error) {
        reject(new Error(`unexpected first stdout line ${JSON.stringify(line)}: ${(error as Error).message}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`volundr-terminal exited with ${code} before listening; stderr:\n${stderr}`));
    });
  });
  return {
    port: ready.port,
    pageUrl: `http://127.0.0.1:${ready.port}${ready.basePath}/`,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
