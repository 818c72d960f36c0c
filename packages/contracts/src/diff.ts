/**
 * A session's changes as its broker (Skuld) serves them over HTTP: `GET /api/diff/files`
 * (changed files against a base) and `GET /api/diff` (the unified diff of one file), reached
 * through the gateway at `/s/<sessionId>/api/…`. docs/skuld.md describes the endpoints.
 */
import { z } from 'zod';

/**
 * What the workspace is compared with:
 * - `last-commit`: HEAD (uncommitted and untracked changes);
 * - `default-branch`: the merge base of HEAD with the repository's default branch (what a pull
 *   request would show, plus uncommitted work);
 * - `session-start`: the workspace as it was when the session started (works without git too).
 */
export const ZDiffBase = z.enum(['last-commit', 'default-branch', 'session-start']);
export type DiffBase = z.infer<typeof ZDiffBase>;
export const DEFAULT_DIFF_BASE: DiffBase = 'session-start';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A workspace-relative file path as git prints it: `/`-separated, no `.`/`..`/empty segments,
 * not absolute, no control characters. The broker also refuses paths that resolve (through
 * symlinks) outside the workspace.
 */
export const ZWorkspaceFilePath = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'must be at most 4096 characters')
  .refine((p) => !CONTROL.test(p), 'must not contain control characters')
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p), 'must be relative to the workspace, not absolute')
  .refine(
    (p) => p.split('/').every((segment) => segment !== '..'),
    'must not contain ".." (paths stay inside the workspace)',
  )
  .refine(
    (p) => p.split('/').every((segment) => segment !== '' && segment !== '.'),
    'must be a plain relative path (no empty or "." segments)',
  );

export const ZDiffFilesQuery = z.strictObject({ base: ZDiffBase.default(DEFAULT_DIFF_BASE) });
export type DiffFilesQuery = z.input<typeof ZDiffFilesQuery>;

export const ZFileDiffQuery = z.strictObject({
  path: ZWorkspaceFilePath,
  base: ZDiffBase.default(DEFAULT_DIFF_BASE),
});
export type FileDiffQuery = z.input<typeof ZFileDiffQuery>;

export const ZDiffFileStatus = z.enum(['added', 'modified', 'deleted', 'renamed']);
export type DiffFileStatus = z.infer<typeof ZDiffFileStatus>;

export const ZDiffFile = z.strictObject({
  path: z.string(),
  /** The path before a rename; null otherwise. */
  oldPath: z.string().nullable(),
  status: ZDiffFileStatus,
  /** Lines added/removed; null for binary files. */
  insertions: z.number().int().nonnegative().nullable(),
  deletions: z.number().int().nonnegative().nullable(),
  binary: z.boolean(),
});
export type DiffFile = z.infer<typeof ZDiffFile>;

/** The base a diff was taken against, for people. */
export const ZDiffBaseInfo = z.strictObject({
  kind: ZDiffBase,
  /** The commit (last-commit, default-branch) or tree (session-start) compared with; null: nothing (no commit yet). */
  ref: z.string().nullable(),
  /** e.g. "HEAD 1a2b3c4 (Add login)", "origin/main at merge base 1a2b3c4", "the workspace when the session started". */
  label: z.string(),
  /** session-start: when the broker recorded the baseline (ISO time). */
  takenAt: z.string().nullable(),
});
export type DiffBaseInfo = z.infer<typeof ZDiffBaseInfo>;

export const MAX_DIFF_FILES = 3000;
export const MAX_FILE_DIFF_BYTES = 1024 * 1024;

export const ZChangedFiles = z.strictObject({
  base: ZDiffBaseInfo,
  /** `git`: the workspace is a repository; `plain`: a blank workspace, compared through the broker's private store. */
  workspace: z.enum(['git', 'plain']),
  files: z.array(ZDiffFile).max(MAX_DIFF_FILES),
  /** More files changed than `MAX_DIFF_FILES`; the rest are left out. */
  truncated: z.boolean(),
  totals: z.strictObject({
    files: z.number().int().nonnegative(),
    insertions: z.number().int().nonnegative(),
    deletions: z.number().int().nonnegative(),
  }),
});
export type ChangedFiles = z.infer<typeof ZChangedFiles>;

export const ZFileDiff = z.strictObject({
  base: ZDiffBaseInfo,
  file: ZDiffFile,
  /** git's unified diff of this one file (headers included); empty for a binary file. */
  diff: z.string(),
  /** The diff was longer than `MAX_FILE_DIFF_BYTES` and was cut at a line end. */
  truncated: z.boolean(),
});
export type FileDiff = z.infer<typeof ZFileDiff>;
