/**
 * Watches the workspace so file changes made outside the agent's tools (the terminal, the IDE)
 * reach the timeline too. One inotify watch per directory (Node's recursive mode polls files on
 * Linux), skipping `.git`, `node_modules` and the broker's state dir. Changes are debounced and
 * reported with line counts against the version last seen (or the one at HEAD).
 */
import { type FSWatcher, watch } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Logger } from '@volundr/core/shared/ports/logger';
import type { Git } from './git';
import { countChanges, hashLines, type LineHashes, looksBinary } from './line-counts';

export interface FileChange {
  /** Relative to the workspace, `/`-separated. */
  path: string;
  action: 'created' | 'modified' | 'deleted';
  insertions?: number;
  deletions?: number;
  at: Date;
}

export interface WorkspaceWatcherOptions {
  root: string;
  /** Directory names skipped at any depth. */
  ignoreNames?: readonly string[];
  /** Paths relative to the root skipped entirely (the broker's state dir when inside). */
  ignorePaths?: readonly string[];
  git: Git | null;
  logger: Logger;
  onChanges: (changes: FileChange[]) => void;
  debounceMs?: number;
  /** A change is reported at the latest this long after it happened, even if writes go on. */
  maxDelayMs?: number;
  maxDirectories?: number;
  maxFileBytes?: number;
  now?: () => Date;
}

export interface WorkspaceWatcher {
  start(): Promise<void>;
  stop(): void;
  /** Resolves when every change seen so far has been reported (tests, shutdown). */
  settled(): Promise<void>;
}

const MAX_BASELINES = 2_000;

export function createWorkspaceWatcher(options: WorkspaceWatcherOptions): WorkspaceWatcher {
  const { root, logger } = options;
  const ignoreNames = new Set(options.ignoreNames ?? ['.git', 'node_modules']);
  const ignorePaths = (options.ignorePaths ?? []).filter((p) => p !== '' && !p.startsWith('..'));
  const debounceMs = options.debounceMs ?? 300;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const maxDirectories = options.maxDirectories ?? 8_192;
  const maxFileBytes = options.maxFileBytes ?? 2 * 1024 * 1024;
  const now = options.now ?? (() => new Date());

  const watchers = new Map<string, FSWatcher>();
  const files = new Set<string>();
  /** Line hashes of the last version seen, most recently used last. */
  const baselines = new Map<string, LineHashes>();
  const dirty = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstDirtyAt = 0;
  let processing: Promise<void> = Promise.resolve();
  let stopped = false;
  let warnedLimit = false;

  const ignored = (rel: string) => {
    const parts = rel.split('/');
    if (parts.some((part) => ignoreNames.has(part))) return true;
    return ignorePaths.some((p) => rel === p || rel.startsWith(`${p}/`));
  };

  const remember = (rel: string, hashes: LineHashes) => {
    baselines.delete(rel);
    baselines.set(rel, hashes);
    if (baselines.size > MAX_BASELINES) {
      const oldest = baselines.keys().next().value;
      if (oldest !== undefined) baselines.delete(oldest);
    }
  };

  const watchDir = (rel: string) => {
    if (watchers.has(rel) || stopped) return;
    if (watchers.size >= maxDirectories) {
      if (!warnedLimit) logger.warn({ maxDirectories }, 'workspace has more directories than are watched');
      warnedLimit = true;
      return;
    }
    try {
      const watcher = watch(join(root, rel), { persistent: false }, (_event, filename) => {
        const name = filename?.toString();
        const changed = name ? (rel === '' ? name : `${rel}/${name}`) : rel;
        if (!ignored(changed)) markDirty(changed);
      });
      watcher.on('error', () => unwatch(rel));
      watchers.set(rel, watcher);
    } catch (error) {
      logger.debug({ dir: rel, error: (error as Error).message }, 'cannot watch directory');
    }
  };

  const unwatch = (rel: string) => {
    for (const [dir, watcher] of watchers) {
      if (dir === rel || dir.startsWith(`${rel}/`)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
  };

  /** Walks a directory: watches it and its subdirectories; returns the files found. */
  const walk = async (rel: string): Promise<string[]> => {
    watchDir(rel);
    const found: string[] = [];
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(join(root, rel), { withFileTypes: true });
    } catch {
      return found;
    }
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (ignored(child)) continue;
      if (entry.isDirectory()) found.push(...(await walk(child)));
      else found.push(child);
    }
    return found;
  };

  const markDirty = (rel: string) => {
    if (stopped) return;
    if (dirty.size === 0) firstDirtyAt = Date.now();
    dirty.add(rel);
    if (timer) clearTimeout(timer);
    const wait = Math.max(0, Math.min(debounceMs, firstDirtyAt + maxDelayMs - Date.now()));
    timer = setTimeout(() => {
      timer = null;
      const batch = [...dirty].sort();
      dirty.clear();
      processing = processing
        .then(() => processBatch(batch))
        .catch((error: unknown) => {
          logger.warn({ error: (error as Error).message }, 'workspace change processing failed');
        });
    }, wait);
  };

  const previousVersion = async (rel: string): Promise<LineHashes | null> => {
    const known = baselines.get(rel);
    if (known) return known;
    const atHead = options.git ? await options.git.showAtHead(rel) : null;
    return atHead && !looksBinary(atHead) ? hashLines(atHead.toString('utf8')) : null;
  };

  /** Line hashes of a text file small enough to read; null otherwise. */
  const currentVersion = async (rel: string, size: number): Promise<LineHashes | null> => {
    if (size > maxFileBytes) return null;
    const content = await readFile(join(root, rel)).catch(() => null);
    return content && !looksBinary(content) ? hashLines(content.toString('utf8')) : null;
  };

  const processBatch = async (batch: string[]) => {
    const changes: FileChange[] = [];
    const at = now();
    for (const rel of batch) {
      if (stopped) return;
      const stat = await lstat(join(root, rel)).catch(() => null);
      if (!stat) {
        const gone = [...files].filter((f) => f === rel || f.startsWith(`${rel}/`));
        unwatch(rel);
        for (const path of gone) {
          const before = await previousVersion(path);
          files.delete(path);
          baselines.delete(path);
          changes.push({ path, action: 'deleted', ...(before ? { insertions: 0, deletions: before.length } : {}), at });
        }
        continue;
      }
      if (stat.isDirectory()) {
        if (watchers.has(rel)) continue;
        for (const path of await walk(rel)) {
          if (files.has(path)) continue;
          files.add(path);
          const s = await lstat(join(root, path)).catch(() => null);
          const after = s?.isFile() ? await currentVersion(path, s.size) : null;
          if (after) remember(path, after);
          changes.push({ path, action: 'created', ...(after ? { insertions: after.length, deletions: 0 } : {}), at });
        }
        continue;
      }
      const after = stat.isFile() ? await currentVersion(rel, stat.size) : null;
      if (files.has(rel)) {
        const before = await previousVersion(rel);
        if (after) remember(rel, after);
        if (before && after) {
          if (sameLines(before, after)) continue;
          changes.push({ path: rel, action: 'modified', ...countChanges(before, after), at });
        } else {
          changes.push({ path: rel, action: 'modified', at });
        }
      } else {
        files.add(rel);
        if (after) remember(rel, after);
        changes.push({
          path: rel,
          action: 'created',
          ...(after ? { insertions: after.length, deletions: 0 } : {}),
          at,
        });
      }
    }
    if (changes.length > 0 && !stopped) options.onChanges(changes);
  };

  return {
    async start() {
      for (const path of await walk('')) files.add(path);
      logger.debug({ directories: watchers.size, files: files.size }, 'watching workspace');
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
    async settled() {
      while (timer || dirty.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, debounceMs));
      }
      await processing;
    },
  };
}

function sameLines(a: LineHashes, b: LineHashes): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const workspaceRelative = (root: string, path: string): string => relative(root, path).split(sep).join('/');
