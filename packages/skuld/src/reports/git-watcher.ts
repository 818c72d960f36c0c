/**
 * Notices new commits in the workspace, however they were made (the agent's shell, the
 * terminal, the IDE): git appends to `<git dir>/logs/HEAD` on every commit, so a watch on
 * `<git dir>` and `<git dir>/logs` wakes us, and `git log <last>..HEAD` says what is new.
 */
import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@volundr/core/shared/ports/logger';
import type { Commit, Git } from './git';

export interface GitWatcherOptions {
  git: Git;
  logger: Logger;
  /**
   * The HEAD whose commits were already reported (persisted across restarts); null means the
   * repository had no commit yet, so every commit that appears is new.
   */
  lastHead: string | null;
  onCommits: (commits: Commit[], head: string) => void;
  debounceMs?: number;
}

export interface GitWatcher {
  start(): Promise<void>;
  /** Looks for new commits now (also called on start, to catch commits made while stopped). */
  check(): Promise<void>;
  stop(): void;
}

export function createGitWatcher(options: GitWatcherOptions): GitWatcher {
  const { git, logger } = options;
  const debounceMs = options.debounceMs ?? 200;
  const watchers: FSWatcher[] = [];
  let lastHead = options.lastHead;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let checking: Promise<void> = Promise.resolve();
  let stopped = false;

  const check = () => {
    checking = checking.then(async () => {
      if (stopped) return;
      const head = await git.head();
      if (!head || head === lastHead) return;
      // A rewritten history (reset, rebase) makes `last..HEAD` list the new commits only.
      const commits = await git.commitsSince(lastHead, 200);
      lastHead = head;
      if (commits.length > 0) options.onCommits(commits, head);
    });
    return checking.catch((error: unknown) => {
      logger.warn({ error: (error as Error).message }, 'checking for new commits failed');
    });
  };

  let logsWatched = false;
  let gitDir: string | null = null;

  const poke = () => {
    if (!logsWatched && gitDir) logsWatched = watchPath(join(gitDir, 'logs'));
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void check();
    }, debounceMs);
  };

  const watchPath = (path: string): boolean => {
    try {
      const watcher = watch(path, { persistent: false }, poke);
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
      return true;
    } catch {
      // logs/ does not exist before the first commit; the git dir watch covers its creation.
      return false;
    }
  };

  return {
    async start() {
      gitDir = await git.gitDir();
      if (!gitDir) {
        logger.info({}, 'workspace is not a git repository; commits are not tracked');
        return;
      }
      watchPath(gitDir);
      logsWatched = watchPath(join(gitDir, 'logs'));
      await check();
    },
    check,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
