import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RunLoggedOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Output (stdout and stderr) is appended here. */
  logFile: string;
  /** Each output line as it comes (`\r` progress updates count as lines). */
  onLine?: (line: string) => void;
  signal?: AbortSignal;
  timeoutMs: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why it did not finish on its own (`timed out`, `cancelled`), if so. */
  interrupted: string | null;
  /** The last output lines, for error messages. */
  tail: string[];
}

/**
 * Runs a provisioning step (git, a setup script) in its own process group so cancelling or a
 * timeout ends everything it started, with its output logged and streamed line by line.
 */
export function runLogged(options: RunLoggedOptions): Promise<RunResult> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a', mode: 0o600 });
  const tail: string[] = [];
  return new Promise((resolve) => {
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let interrupted: string | null = null;
    const kill = (why: string) => {
      interrupted ??= why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(
      () => kill(`timed out after ${Math.round(options.timeoutMs / 1000)} s`),
      options.timeoutMs,
    );
    const onAbort = () => kill('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();

    const feed = () => {
      let partial = '';
      return (chunk: Buffer) => {
        log.write(chunk);
        const parts = (partial + chunk.toString('utf8')).split(/\r\n|\r|\n/);
        partial = parts.pop() ?? '';
        for (const line of parts) {
          const text = line.trimEnd();
          if (!text) continue;
          tail.push(text);
          if (tail.length > 20) tail.shift();
          options.onLine?.(text);
        }
      };
    };
    child.stdout?.on('data', feed());
    child.stderr?.on('data', feed());
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      log.end(() => resolve({ code, signal, interrupted, tail }));
    };
    child.on('error', (error) => {
      tail.push(error.message);
      finish(null, null);
    });
    child.on('close', finish);
  });
}
