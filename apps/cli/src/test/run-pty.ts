import { type IPty, spawn } from 'node-pty';
import { cliPath } from './run-cli';

export interface PtyCli {
  pty: IPty;
  output: () => string;
  /** Resolves with the first match of `pattern` in the output after `since`, or rejects at the deadline / exit. */
  waitFor(pattern: RegExp, options?: { since?: number; timeoutMs?: number }): Promise<RegExpExecArray>;
  /** Where the output ends now (for `since`). */
  mark(): number;
  exited: Promise<number>;
}

/** Runs the CLI in a pseudo-terminal, as a person at a terminal runs it (raw mode, resizes, Ctrl keys). */
export function ptyCli(args: string[], env: NodeJS.ProcessEnv, size = { cols: 100, rows: 30 }): PtyCli {
  const pty = spawn(process.execPath, [cliPath, ...args], {
    name: 'xterm-256color',
    ...size,
    env: { ...process.env, NO_COLOR: '1', ...env } as Record<string, string>,
  });
  let output = '';
  let exitCode: number | null = null;
  const listeners = new Set<() => void>();
  pty.onData((data) => {
    output += data;
    for (const l of listeners) l();
  });
  const exited = new Promise<number>((resolve) =>
    pty.onExit(({ exitCode: code }) => {
      exitCode = code;
      for (const l of listeners) l();
      resolve(code);
    }),
  );
  return {
    pty,
    output: () => output,
    mark: () => output.length,
    exited,
    waitFor(pattern, { since = 0, timeoutMs = 20_000 } = {}) {
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        const check = () => {
          const match = pattern.exec(output.slice(since));
          if (match) {
            done();
            resolve(match);
          } else if (exitCode !== null) {
            done();
            reject(new Error(`CLI exited (${exitCode}) before ${pattern}:\n${output.slice(-2000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output.slice(-2000)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}
