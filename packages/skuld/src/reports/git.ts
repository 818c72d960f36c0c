/**
 * The few git questions the broker asks about the workspace, through the `git` binary (the
 * workspace is whatever the user made of it: plain repo, worktree, or no repo at all).
 */
import { execFile } from 'node:child_process';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

export interface Commit {
  hash: string;
  subject: string;
  committedAt: Date;
  insertions: number;
  deletions: number;
}

export interface Git {
  /** Absolute path of the git dir, or null when the workspace is not in a repository. */
  gitDir(): Promise<string | null>;
  /** Current HEAD commit, or null (no repository or no commit yet). */
  head(): Promise<string | null>;
  /** Commits reachable from HEAD and not from `since` (all of HEAD's history when null), oldest first. */
  commitsSince(since: string | null, limit?: number): Promise<Commit[]>;
  /** The file's content at HEAD, or null. */
  showAtHead(path: string): Promise<Buffer | null>;
  /** Paths with uncommitted changes (`git status --porcelain`). */
  uncommitted(): Promise<string[]>;
  /**
   * Adds a pattern to `<git dir>/info/exclude` (local to this clone, never committed) unless it is
   * there: the broker's state dir must not end up in the user's commits.
   */
  exclude(pattern: string): Promise<void>;
}

export function createGit(cwd: string, binary = 'git'): Git {
  const run = (args: string[], encoding: 'utf8' | 'buffer' = 'utf8') =>
    new Promise<{ ok: boolean; stdout: string | Buffer }>((resolve) => {
      execFile(
        binary,
        args,
        {
          cwd,
          timeout: 10_000,
          maxBuffer: 16 * 1024 * 1024,
          encoding,
          env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
        },
        (error, stdout) => resolve({ ok: !error, stdout }),
      );
    });

  return {
    async gitDir() {
      const { ok, stdout } = await run(['rev-parse', '--git-dir']);
      if (!ok) return null;
      const dir = String(stdout).trim();
      return isAbsolute(dir) ? dir : join(cwd, dir);
    },
    async head() {
      const { ok, stdout } = await run(['rev-parse', '--verify', '--quiet', 'HEAD']);
      const hash = String(stdout).trim();
      return ok && /^[0-9a-f]{40,64}$/.test(hash) ? hash : null;
    },
    async commitsSince(since, limit = 200) {
      const range = since ? [`${since}..HEAD`] : ['HEAD'];
      const { ok, stdout } = await run([
        'log',
        `--max-count=${limit}`,
        '--format=%x1e%H%x1f%ct%x1f%s',
        '--shortstat',
        ...range,
        '--',
      ]);
      if (!ok) return [];
      const commits: Commit[] = [];
      for (const record of String(stdout).split('\x1e').slice(1)) {
        const [header = '', ...rest] = record.split('\n');
        const [hash = '', ct = '0', subject = ''] = header.split('\x1f');
        const stat = rest.join(' ');
        commits.push({
          hash,
          subject,
          committedAt: new Date(Number(ct) * 1000),
          insertions: Number(/(\d+) insertions?\(\+\)/.exec(stat)?.[1] ?? 0),
          deletions: Number(/(\d+) deletions?\(-\)/.exec(stat)?.[1] ?? 0),
        });
      }
      return commits.reverse();
    },
    async showAtHead(path) {
      const { ok, stdout } = await run(['show', `HEAD:./${path}`], 'buffer');
      return ok ? (stdout as Buffer) : null;
    },
    async uncommitted() {
      const { ok, stdout } = await run(['status', '--porcelain=v1', '--untracked-files=all']);
      if (!ok) return [];
      return String(stdout)
        .split('\n')
        .filter((line) => line.length > 3)
        .map((line) => line.slice(3));
    },
    async exclude(pattern) {
      const dir = await this.gitDir();
      if (!dir) return;
      const file = join(dir, 'info', 'exclude');
      const current = await readFile(file, 'utf8').catch(() => '');
      if (current.split('\n').some((line) => line.trim() === pattern)) return;
      await mkdir(join(dir, 'info'), { recursive: true });
      await appendFile(file, `${current === '' || current.endsWith('\n') ? '' : '\n'}${pattern}\n`);
    },
  };
}
