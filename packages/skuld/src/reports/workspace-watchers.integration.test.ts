/** The workspace and git watchers on a real directory and a real git repository. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@volundr/core/shared/ports/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeTransport } from '../transports/fake-transport';
import { buildFinalReport } from './final-report';
import { type Commit, createGit } from './git';
import { createGitWatcher } from './git-watcher';
import { createWorkspaceWatcher, type FileChange } from './workspace-watcher';

let root: string;
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.test',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.test',
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env: gitEnv, encoding: 'utf8' }).trim();

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'skuld-ws-'));
  git('init', '-q', '-b', 'main');
  writeFileSync(join(root, 'README.md'), 'one\ntwo\nthree\n');
  git('add', '.');
  git('commit', '-q', '-m', 'initial');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Collects watcher callbacks; `until` waits for a condition with a deadline. */
function collector<T>() {
  const items: T[] = [];
  const waiters = new Set<() => void>();
  return {
    items,
    push: (batch: readonly T[]) => {
      items.push(...batch);
      for (const waiter of waiters) waiter();
    },
    until: (predicate: (items: T[]) => boolean, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(items)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => reject(new Error(`timed out; have ${JSON.stringify(items)}`)), timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

describe('workspace watcher', () => {
  it('reports files created, modified (line counts against HEAD) and deleted outside the agent, ignoring .git and the state dir', async () => {
    const changes = collector<FileChange>();
    mkdirSync(join(root, '.volundr'));
    const watcher = createWorkspaceWatcher({
      root,
      ignorePaths: ['.volundr'],
      git: createGit(root),
      logger: silentLogger,
      onChanges: changes.push,
      debounceMs: 50,
    });
    await watcher.start();
    writeFileSync(join(root, '.volundr', 'chat.ndjson'), '{}\n');
    writeFileSync(join(root, 'README.md'), 'one\nTWO\nthree\nfour\n');
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'new.ts'), 'a\nb\n');
    await changes.until((items) => items.length >= 2);
    unlinkSync(join(root, 'src', 'new.ts'));
    await changes.until((items) => items.some((c) => c.action === 'deleted'));
    watcher.stop();
    const byPath = Object.fromEntries(changes.items.map((c) => [`${c.path}:${c.action}`, c]));
    expect(byPath['README.md:modified']).toMatchObject({ insertions: 2, deletions: 1 });
    expect(byPath['src/new.ts:created']).toMatchObject({ insertions: 2, deletions: 0 });
    expect(byPath['src/new.ts:deleted']).toMatchObject({ deletions: 2 });
    expect(changes.items.some((c) => c.path.startsWith('.volundr') || c.path.startsWith('.git'))).toBe(false);
  });
});

describe('git watcher and final report', () => {
  it('notices commits made in the workspace, and the fallback final report lists them', async () => {
    const gitApi = createGit(root);
    const startHead = await gitApi.head();
    const commits = collector<Commit>();
    const watcher = createGitWatcher({
      git: gitApi,
      logger: silentLogger,
      lastHead: startHead,
      onCommits: commits.push,
      debounceMs: 20,
    });
    await watcher.start();
    writeFileSync(join(root, 'a.txt'), '1\n2\n');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'Add a.txt');
    await commits.until((items) => items.length === 1);
    writeFileSync(join(root, 'b.txt'), 'x\n');
    git('add', 'b.txt');
    git('commit', '-q', '-m', 'Add b.txt');
    await commits.until((items) => items.length === 2);
    watcher.stop();
    expect(commits.items.map((c) => [c.subject, c.insertions])).toEqual([
      ['Add a.txt', 2],
      ['Add b.txt', 1],
    ]);
    expect(commits.items[1]?.hash).toBe(git('rev-parse', 'HEAD'));

    writeFileSync(join(root, 'dirty.txt'), 'wip\n');
    const report = await buildFinalReport({
      transport: createFakeTransport({ summary: null }),
      git: gitApi,
      logger: silentLogger,
      key: 'final:1',
      sessionStartedAt: new Date(Date.now() - 90_000),
      now: new Date(),
      askCli: true,
      summaryTimeoutMs: 1_000,
      startHead,
      changedFiles: ['a.txt', 'b.txt'],
      lastReply: 'All done.',
      ignorePaths: ['.volundr'],
    });
    expect(report).toMatchObject({
      kind: 'final',
      partial: true,
      durationSeconds: 90,
      unfinishedWork: 'Uncommitted changes: dirty.txt',
    });
    expect(report.summary).toContain('2 files changed, 2 commits');
    expect(report.keyChanges).toEqual([
      `${commits.items[0]?.hash.slice(0, 7)} Add a.txt`,
      `${commits.items[1]?.hash.slice(0, 7)} Add b.txt`,
      'changed a.txt',
      'changed b.txt',
    ]);
  });

  it("uses the CLI's JSON summary when the transport gives one", async () => {
    const report = await buildFinalReport({
      transport: createFakeTransport({
        summary: 'Here you go:\n```json\n{"summary":"Built X","key_changes":["a"],"unfinished_work":"tests"}\n```',
      }),
      git: null,
      logger: silentLogger,
      key: 'final:2',
      sessionStartedAt: new Date(Date.now() - 5_000),
      now: new Date(),
      askCli: true,
      summaryTimeoutMs: 1_000,
      startHead: null,
      changedFiles: [],
      lastReply: null,
      ignorePaths: [],
    });
    expect(report).toMatchObject({ summary: 'Built X', keyChanges: ['a'], unfinishedWork: 'tests' });
    expect(report.partial).toBeUndefined();
  });

  it('excludes the state dir from git locally', async () => {
    const gitApi = createGit(root);
    await gitApi.exclude('/.volundr/');
    await gitApi.exclude('/.volundr/');
    mkdirSync(join(root, '.volundr'));
    writeFileSync(join(root, '.volundr', 'x'), '1');
    expect(await gitApi.uncommitted()).toEqual([]);
  });
});
