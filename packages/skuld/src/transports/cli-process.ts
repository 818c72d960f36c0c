/**
 * One running CLI child: stdout read line by line, a bounded stderr tail for error messages,
 * writes that never throw, and a stop that escalates SIGTERM → SIGKILL. The child leads its
 * own process group so signals also reach the commands it runs for tools (like Ctrl-C in a
 * terminal), and nothing it starts outlives a stop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '@volundr/core/shared/ports/logger';

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the binary could not be started at all (ENOENT, EACCES…). */
  spawnError?: string;
  stderrTail: string;
}

export interface CliProcess {
  readonly pid: number | undefined;
  readonly exited: Promise<CliExit>;
  readonly hasExited: boolean;
  /** Writes one line to stdin; false when stdin is gone (the exit will be reported). */
  writeLine(line: string): boolean;
  /** Writes `text` to stdin and closes it. */
  endInput(text?: string): void;
  /** Sends a signal to the whole process group. */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<CliExit>;
}

export interface StartCliOptions {
  binary: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  onLine: (line: string) => void;
  logger: Logger;
}

const STDERR_TAIL_BYTES = 4096;
/** How long stdout may stay open after the CLI process has exited. */
const EXIT_DRAIN_MS = 1_000;

export function startCliProcess(options: StartCliOptions): CliProcess {
  const { logger } = options;
  let stderrTail = '';
  let exitedFlag = false;
  let child: ChildProcess;
  let resolveExit!: (exit: CliExit) => void;
  const exited = new Promise<CliExit>((resolve) => {
    resolveExit = (exit) => {
      exitedFlag = true;
      resolve(exit);
    };
  });

  try {
    child = spawn(options.binary, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
  } catch (error) {
    // spawn throws synchronously for bad arguments (e.g. a missing cwd on some platforms).
    resolveExit({ code: null, signal: null, spawnError: (error as Error).message, stderrTail: '' });
    return deadProcess(exited);
  }

  let spawnError: string | undefined;
  let stdoutClosed = false;
  let childClosed: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const settle = () => {
    if (exitedFlag || !childClosed || (!stdoutClosed && !spawnError)) return;
    resolveExit({ ...childClosed, ...(spawnError ? { spawnError } : {}), stderrTail });
  };

  const lines = createInterface({ input: child.stdout!, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', (line) => {
    try {
      options.onLine(line);
    } catch (error) {
      logger.error({ error: (error as Error).message }, 'handling a CLI output line failed');
    }
  });
  lines.on('close', () => {
    stdoutClosed = true;
    settle();
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
  });
  child.stdin!.on('error', (error) => logger.debug({ error: error.message }, 'CLI stdin closed'));
  child.on('error', (error) => {
    spawnError = error.message;
    logger.warn({ error: error.message, binary: options.binary }, 'CLI process error');
    if (child.pid === undefined) childClosed ??= { code: null, signal: null };
    settle();
  });
  child.on('close', (code, signal) => {
    childClosed = { code, signal };
    settle();
  });
  // 'close' waits for stdout to end, which a background command that inherited it could
  // postpone forever: once the CLI itself has exited, give its output a moment, then move on.
  child.on('exit', (code, signal) => {
    setTimeout(() => {
      if (exitedFlag) return;
      logger.warn({ pid: child.pid }, 'CLI exited but its stdout stayed open; closing it');
      childClosed ??= { code, signal };
      stdoutClosed = true;
      child.stdout?.destroy();
      settle();
    }, EXIT_DRAIN_MS).unref();
  });
  logger.debug({ pid: child.pid, binary: options.binary, args: options.args.length }, 'CLI process started');

  const signalGroup = (sig: NodeJS.Signals) => {
    if (exitedFlag || child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // The group is already gone.
    }
  };

  return {
    get pid() {
      return child.pid;
    },
    exited,
    get hasExited() {
      return exitedFlag;
    },
    writeLine(line) {
      const stdin = child.stdin;
      if (exitedFlag || !stdin || stdin.destroyed || !stdin.writable) return false;
      stdin.write(`${line}\n`);
      return true;
    },
    endInput(text) {
      const stdin = child.stdin;
      if (!stdin || stdin.destroyed) return;
      stdin.end(text);
    },
    signal: signalGroup,
    async stop(graceMs = 3000) {
      if (exitedFlag) return exited;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}

function deadProcess(exited: Promise<CliExit>): CliProcess {
  return {
    pid: undefined,
    exited,
    hasExited: true,
    writeLine: () => false,
    endInput: () => undefined,
    signal: () => undefined,
    stop: () => exited,
  };
}
