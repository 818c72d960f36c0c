/**
 * The session's changes: the workspace compared with a base (last commit, the default branch's
 * merge base, or the workspace as it was when the session started).
 *
 * Every comparison is tree against tree. The current workspace is snapshotted into a tree with
 * git's own machinery, but into the broker's private store under `<state>/diff/`: a scratch
 * index (`GIT_INDEX_FILE`, seeded from the repository's index so unchanged files are not
 * hashed again) and a private object directory (`GIT_OBJECT_DIRECTORY`, the repository's
 * objects as an alternate). So untracked files count, renames are detected between deleted and
 * new files, `.gitignore` is honoured, and the user's `.git` (index, objects, refs) is never
 * written. A blank workspace (no repository) gets a private git dir under the state dir as
 * well; the baseline snapshot taken at session start is what `session-start` compares with.
 */
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import {
  type ChangedFiles,
  type DiffBase,
  type DiffBaseInfo,
  type DiffFile,
  type FileDiff,
  MAX_DIFF_FILES,
  MAX_FILE_DIFF_BYTES,
} from '@volundr/contracts/diff';
import { DomainError } from '@volundr/core/errors';
import type { Logger } from '@volundr/core/shared/ports/logger';
import { z } from 'zod';
import { checkContainedPath } from './contained-path';
import { parseDiffRecords } from './diff-records';
import { type GitRunOptions, type GitRunResult, runGit } from './git-runner';

export interface WorkspaceDiffOptions {
  workspaceDir: string;
  stateDir: string;
  /** Workspace-relative paths never compared (the broker's state dir when it sits inside). */
  ignorePaths: readonly string[];
  sessionStartedAt: Date;
  logger: Logger;
  now?: () => Date;
  /** Time limit of one git command (the snapshot's `git add` gets twice as long). */
  timeoutMs?: number;
}

export interface WorkspaceDiff {
  /** Records the session-start baseline unless one exists (a restarted broker keeps the first). */
  recordBaseline(): Promise<void>;
  changedFiles(base: DiffBase): Promise<ChangedFiles>;
  /** The diff of one changed file; `path` may be the new or the old path of a rename. */
  fileDiff(path: string, base: DiffBase): Promise<FileDiff>;
}

const ZBaseline = z.object({
  version: z.literal(1),
  tree: z.string().regex(/^[0-9a-f]{40,64}$/),
  takenAt: z.string(),
});
type Baseline = z.infer<typeof ZBaseline>;

/** How git sees the workspace right now. */
type Mode = { kind: 'git'; gitDir: string; objectsDir: string; indexFile: string } | { kind: 'plain' };

interface Snapshot {
  mode: Mode;
  env: Record<string, string>;
  tree: string;
}

interface ResolvedBase {
  info: DiffBaseInfo;
  tree: string;
}

/** Directories a blank workspace's snapshot skips (a repository brings its own .gitignore). */
const PLAIN_EXCLUDES = ['node_modules/'];
const LATE_BASELINE_MS = 60_000;

export function createWorkspaceDiff(options: WorkspaceDiffOptions): WorkspaceDiff {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 15_000;
  const store = join(options.stateDir, 'diff');
  const objectsDir = join(store, 'objects');
  const plainGitDir = join(store, 'git');
  const baselineFile = join(store, 'baseline.json');
  const log = options.logger.child({ component: 'workspace-diff' });
  // Discovery must stop at the workspace: a blank workspace inside someone's repository is blank.
  const discovery = { GIT_CEILING_DIRECTORIES: dirname(resolve(options.workspaceDir)) };
  let queue: Promise<unknown> = Promise.resolve();
  let plainReady = false;

  /** Snapshots share one scratch index per mode: one at a time. */
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };

  const git = async (
    args: string[],
    env: Record<string, string>,
    what: string,
    extra: Partial<GitRunOptions> = {},
  ): Promise<GitRunResult> => {
    const result = await runGit(args, { cwd: options.workspaceDir, env, timeoutMs, ...extra });
    if (result.timedOut) {
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `git did not finish ${what} within ${Math.round((extra.timeoutMs ?? timeoutMs) / 1000)} s; the workspace may be very large.`,
      );
    }
    return result;
  };
  const must = async (args: string[], env: Record<string, string>, what: string, extra?: Partial<GitRunOptions>) => {
    const result = await git(args, env, what, extra);
    if (result.code !== 0) {
      throw new DomainError('DEPENDENCY_UNAVAILABLE', `git failed ${what}: ${lastLine(result.stderr)}`);
    }
    return result.stdout.toString('utf8');
  };

  async function detectMode(): Promise<Mode> {
    const result = await git(
      ['rev-parse', '--absolute-git-dir', '--git-path', 'objects', '--git-path', 'index'],
      discovery,
      'looking for the repository',
    );
    if (result.code !== 0) return { kind: 'plain' };
    const [gitDir = '', objects = '', index = ''] = result.stdout.toString('utf8').split('\n');
    const abs = (p: string) => (isAbsolute(p) ? p : resolve(options.workspaceDir, p));
    return { kind: 'git', gitDir, objectsDir: abs(objects), indexFile: abs(index) };
  }

  async function preparePlainGitDir() {
    if (plainReady) return;
    await mkdir(store, { recursive: true });
    await must(['init', '--bare', '-q', plainGitDir], {}, 'preparing the private store');
    const excludes = [...options.ignorePaths.map((p) => `/${p}/`), ...PLAIN_EXCLUDES];
    await mkdir(join(plainGitDir, 'info'), { recursive: true });
    await writeFile(join(plainGitDir, 'info', 'exclude'), `${excludes.join('\n')}\n`);
    plainReady = true;
  }

  /** The workspace as a tree in the private store. */
  function snapshot(): Promise<Snapshot> {
    return serial(async () => {
      const mode = await detectMode();
      await mkdir(objectsDir, { recursive: true });
      let env: Record<string, string>;
      if (mode.kind === 'git') {
        const indexFile = join(store, 'index-git');
        env = {
          ...discovery,
          GIT_DIR: mode.gitDir,
          GIT_WORK_TREE: options.workspaceDir,
          GIT_INDEX_FILE: indexFile,
          GIT_OBJECT_DIRECTORY: objectsDir,
          GIT_ALTERNATE_OBJECT_DIRECTORIES: mode.objectsDir,
        };
        // The repository's index: staged state and, above all, its stat cache. A fresh copy every
        // time, so nothing the user has since untracked or ignored lingers in ours.
        await copyFile(mode.indexFile, indexFile).catch(async () => rm(indexFile, { force: true }));
      } else {
        await preparePlainGitDir();
        env = {
          GIT_DIR: plainGitDir,
          GIT_WORK_TREE: options.workspaceDir,
          GIT_INDEX_FILE: join(store, 'index-plain'),
          GIT_OBJECT_DIRECTORY: objectsDir,
        };
      }
      // --ignore-errors: an unreadable file or an embedded repository without a commit must not
      // hide every other change (exit code 1 then, with the problem on stderr).
      const add = await git(['add', '-A', '--ignore-errors', '--', '.'], env, 'reading the workspace', {
        timeoutMs: timeoutMs * 2,
      });
      if (add.code !== 0 && add.code !== 1) {
        throw new DomainError('DEPENDENCY_UNAVAILABLE', `git could not read the workspace: ${lastLine(add.stderr)}`);
      }
      if (add.code === 1) log.warn({ stderr: add.stderr.slice(0, 2000) }, 'some workspace files could not be read');
      const tree = (await must(['write-tree'], env, 'recording the workspace')).trim();
      return { mode, env, tree };
    });
  }

  async function readBaseline(): Promise<Baseline | null> {
    const text = await readFile(baselineFile, 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      const parsed = ZBaseline.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  let baselineProblem: string | null = null;

  async function emptyTree(env: Record<string, string>) {
    return (
      await must(['hash-object', '-t', 'tree', '-w', '--stdin'], env, 'making an empty tree', { input: '' })
    ).trim();
  }

  async function resolveBase(base: DiffBase, snap: Snapshot): Promise<ResolvedBase> {
    if (base === 'session-start') {
      const baseline = await readBaseline();
      if (!baseline) {
        throw new DomainError(
          'DIFF_BASE_UNAVAILABLE',
          `The workspace at session start was not recorded${baselineProblem ? ` (${baselineProblem})` : ''}; compare with another base.`,
        );
      }
      const late = Date.parse(baseline.takenAt) - options.sessionStartedAt.getTime() > LATE_BASELINE_MS;
      return {
        tree: baseline.tree,
        info: {
          kind: base,
          ref: baseline.tree,
          label: late
            ? `the workspace as the broker first recorded it (${baseline.takenAt}, after the session started)`
            : 'the workspace when the session started',
          takenAt: baseline.takenAt,
        },
      };
    }
    if (snap.mode.kind !== 'git') {
      throw new DomainError(
        'DIFF_BASE_UNAVAILABLE',
        `The workspace is not a git repository, so it has no ${base === 'last-commit' ? 'last commit' : 'default branch'}; compare with session-start.`,
      );
    }
    const head = await git(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], snap.env, 'reading HEAD');
    const headHash = head.code === 0 ? head.stdout.toString('utf8').trim() : null;
    if (base === 'last-commit') {
      if (!headHash) {
        return {
          tree: await emptyTree(snap.env),
          info: { kind: base, ref: null, label: 'no commit yet (every file is new)', takenAt: null },
        };
      }
      return {
        tree: (await must(['rev-parse', `${headHash}^{tree}`], snap.env, 'reading HEAD')).trim(),
        info: { kind: base, ref: headHash, label: `HEAD ${await describe(headHash, snap.env)}`, takenAt: null },
      };
    }
    const branch = await defaultBranch(snap.env);
    if (!branch) {
      throw new DomainError(
        'DIFF_BASE_UNAVAILABLE',
        'The repository’s default branch is unknown (no origin/HEAD, main or master); compare with last-commit or session-start.',
      );
    }
    if (!headHash) {
      throw new DomainError(
        'DIFF_BASE_UNAVAILABLE',
        'The workspace has no commit yet, so it has no merge base with the default branch.',
      );
    }
    const mergeBase = await git(['merge-base', branch.ref, headHash], snap.env, 'finding the merge base');
    const commit = mergeBase.code === 0 ? mergeBase.stdout.toString('utf8').trim() : '';
    if (!commit) {
      throw new DomainError(
        'DIFF_BASE_UNAVAILABLE',
        `HEAD shares no history with ${branch.name}; compare with last-commit.`,
      );
    }
    return {
      tree: (await must(['rev-parse', `${commit}^{tree}`], snap.env, 'reading the merge base')).trim(),
      info: {
        kind: base,
        ref: commit,
        label: `${branch.name} at merge base ${await describe(commit, snap.env)}`,
        takenAt: null,
      },
    };
  }

  async function describe(commit: string, env: Record<string, string>) {
    const out = await git(['log', '-1', '--format=%h%x00%s', commit], env, 'reading a commit');
    const [short = commit.slice(0, 7), subject = ''] = out.stdout.toString('utf8').trim().split('\0');
    return subject ? `${short} (${subject.slice(0, 80)})` : short;
  }

  async function defaultBranch(env: Record<string, string>): Promise<{ ref: string; name: string } | null> {
    const symbolic = await git(['symbolic-ref', '-q', 'refs/remotes/origin/HEAD'], env, 'reading origin/HEAD');
    const candidates = [
      ...(symbolic.code === 0 ? [symbolic.stdout.toString('utf8').trim()] : []),
      'refs/remotes/origin/main',
      'refs/remotes/origin/master',
      'refs/heads/main',
      'refs/heads/master',
    ];
    for (const ref of candidates) {
      const ok = await git(['rev-parse', '--verify', '-q', `${ref}^{commit}`], env, 'reading a branch');
      if (ok.code === 0) return { ref, name: ref.replace(/^refs\/(remotes|heads)\//, '') };
    }
    return null;
  }

  async function compare(base: DiffBase) {
    const snap = await snapshot();
    const resolved = await resolveBase(base, snap);
    const result = await git(
      ['diff-tree', '-r', '-z', '-M', '--raw', '--numstat', '--no-ext-diff', '--no-textconv', resolved.tree, snap.tree],
      snap.env,
      'comparing the workspace',
    );
    if (result.code !== 0 && !result.truncated) {
      throw new DomainError(
        'DEPENDENCY_UNAVAILABLE',
        `git could not compare the workspace: ${lastLine(result.stderr)}`,
      );
    }
    const { files, skipped } = parseDiffRecords(result.stdout.toString('utf8'));
    if (skipped > 0) log.warn({ skipped }, 'diff records with an unknown status were skipped');
    return { snap, base: resolved, files, outputTruncated: result.truncated };
  }

  return {
    async recordBaseline() {
      if (await readBaseline()) return;
      try {
        const snap = await snapshot();
        const baseline: Baseline = { version: 1, tree: snap.tree, takenAt: now().toISOString() };
        await writeFile(`${baselineFile}.tmp`, `${JSON.stringify(baseline)}\n`);
        await rename(`${baselineFile}.tmp`, baselineFile);
        log.info({ tree: snap.tree, workspace: snap.mode.kind }, 'recorded the workspace at session start');
      } catch (error) {
        baselineProblem = (error as Error).message;
        log.warn({ error: baselineProblem }, 'recording the workspace at session start failed');
      }
    },

    async changedFiles(base) {
      const { snap, base: resolved, files, outputTruncated } = await compare(base);
      const totals = files.reduce(
        (sum, f) => ({
          files: sum.files + 1,
          insertions: sum.insertions + (f.insertions ?? 0),
          deletions: sum.deletions + (f.deletions ?? 0),
        }),
        { files: 0, insertions: 0, deletions: 0 },
      );
      return {
        base: resolved.info,
        workspace: snap.mode.kind,
        files: files.slice(0, MAX_DIFF_FILES),
        truncated: outputTruncated || files.length > MAX_DIFF_FILES,
        totals,
      };
    },

    async fileDiff(path, base) {
      const contained = await checkContainedPath(options.workspaceDir, path);
      if (!contained.ok) {
        throw new DomainError('VALIDATION_FAILED', `path ${contained.reason}`, {
          issues: [{ path: ['path'], message: contained.reason }],
        });
      }
      const { snap, base: resolved, files } = await compare(base);
      const file: DiffFile | undefined = files.find((f) => f.path === path) ?? files.find((f) => f.oldPath === path);
      if (!file) {
        throw new DomainError('NOT_FOUND', `${path} has no changes against ${resolved.info.label}.`);
      }
      if (file.binary) return { base: resolved.info, file, diff: '', truncated: false };
      const paths = file.oldPath ? [file.oldPath, file.path] : [file.path];
      const result = await git(
        [
          'diff-tree',
          '-r',
          '-M',
          '-p',
          '--no-color',
          '--no-ext-diff',
          '--no-textconv',
          resolved.tree,
          snap.tree,
          '--',
          ...paths,
        ],
        snap.env,
        'computing the diff',
        { maxOutputBytes: MAX_FILE_DIFF_BYTES },
      );
      if (result.code !== 0 && !result.truncated) {
        throw new DomainError('DEPENDENCY_UNAVAILABLE', `git could not compute the diff: ${lastLine(result.stderr)}`);
      }
      let diff = result.stdout.toString('utf8');
      if (result.truncated) diff = diff.slice(0, diff.lastIndexOf('\n') + 1);
      return { base: resolved.info, file, diff, truncated: result.truncated };
    },
  };
}

const lastLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .pop() ?? 'no reason given';
