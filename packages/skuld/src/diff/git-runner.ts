/**
 * Runs `git` for the diff endpoints, bounded: no pager, paths printed as they are
 * (`core.quotepath=off`), no fsmonitor hook from the workspace's config (diff commands also
 * pass `--no-ext-diff --no-textconv`), a time limit (the process group is killed), and a cap
 * on the output kept (git is stopped there and the result marked truncated, so a huge diff
 * never fills memory).
 */
import { spawn } from 'node:child_process';

export interface GitRunOptions {
  cwd: string;
  /** Variables added to the sanitised environment (GIT_DIR, GIT_INDEX_FILE, …). */
  env?: Record<string, string>;
  timeoutMs?: number;
  maxOutputBytes?: number;
  /** Written to stdin (then closed); stdin is closed at once without it. */
  input?: string;
}

export interface GitRunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** stdout went beyond `maxOutputBytes`; `stdout` holds the first bytes only. */
  truncated: boolean;
  timedOut: boolean;
}

export const GIT_BASE_ARGS = [
  '--no-pager',
  // A file named `*.ts` or `:(top)x` is that file, not a pattern.
  '--literal-pathspecs',
  '-c',
  'core.quotepath=off',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.untrackedCache=false',
  '-c',
  'advice.addEmbeddedRepo=false',
];

const MAX_STDERR = 16 * 1024;

/**
 * git's own variables from the broker's environment (a credential helper set for the session,
 * a stray GIT_DIR) must not change which repository these commands read.
 */
function gitEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('GIT_') && value !== undefined) env[name] = value;
  }
  return { ...env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', ...extra };
}

export function runGit(args: readonly string[], options: GitRunOptions): Promise<GitRunResult> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxOutputBytes = options.maxOutputBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve) => {
    const child = spawn('git', [...GIT_BASE_ARGS, ...args], {
      cwd: options.cwd,
      env: gitEnvironment(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return;
      if (size + chunk.length > maxOutputBytes) {
        chunks.push(chunk.subarray(0, maxOutputBytes - size));
        size = maxOutputBytes;
        truncated = true;
        // Enough read: stop git rather than drain what would be thrown away.
        kill();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString('utf8').slice(0, MAX_STDERR - stderr.length);
    });
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(chunks, size), stderr: stderr.trim(), truncated, timedOut });
    };
    child.on('error', (error) => {
      stderr = error.message;
      finish(null);
    });
    child.on('close', (code) => finish(code));
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
