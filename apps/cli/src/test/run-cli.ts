import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@volundr/testkit/free-port';

/** The CLI as a user runs it from a checkout. */
export const cliPath = join(import.meta.dirname, '../../../../bin/volundr');

export { freePort };

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningUp {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts `volundr up` and resolves once it has printed its whole banner (URL, sign-in, data dir). */
export async function startUp(dataDir: string, port: number, env: NodeJS.ProcessEnv = {}): Promise<RunningUp> {
  const child = spawn(process.execPath, [cliPath, 'up', '--port', String(port), '--data-dir', dataDir], {
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    // The banner comes in several writes: wait for its last line (after the password line).
    const onData = () => {
      const match = /Volundr is running at (\S+)[\s\S]*stop with Ctrl-C/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`volundr up exited with ${code}:\n${output}`)));
  });
  return {
    child,
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface SpawnedCli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match of `pattern` in stdout + stderr, or rejects at the deadline / exit. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<CliResult>;
}

/** Starts the CLI and lets the test talk to it while it runs (device login, progress, chat). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): SpawnedCli {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (d) => {
    stdout += d;
    for (const l of listeners) l();
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
    for (const l of listeners) l();
  });
  const exited = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => {
      for (const l of listeners) l();
      resolve({ code, stdout, stderr });
    }),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stdout + stderr);
          if (match) {
            cleanup();
            resolve(match);
          } else if (child.exitCode !== null) {
            cleanup();
            reject(new Error(`CLI exited (${child.exitCode}) before ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}
