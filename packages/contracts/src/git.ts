/**
 * Git providers (GitHub, GitLab, plain git): repository validation, branches and pull/merge
 * requests, as the API offers them. Repositories are named as people type them; the server
 * only ever talks to the hosts its configuration lists.
 */
import { z } from 'zod';
import { ZBranchName } from './templates';

export const ZGitProviderKind = z.enum(['github', 'gitlab', 'git']);
export type GitProviderKind = z.infer<typeof ZGitProviderKind>;

/** A repository as a person names it: `https://host/org/repo(.git)`, `host/org/repo`, `git@host:org/repo`. */
export const ZRepoInput = z.string().trim().min(1).max(500);

export const ZValidateRepoInput = z.strictObject({ repo: ZRepoInput, branch: ZBranchName.optional() });
export type ValidateRepoInput = z.infer<typeof ZValidateRepoInput>;

export const ZRepoValidation = z.strictObject({
  repo: z.string(),
  /** The configured provider instance that serves it. */
  provider: z.string(),
  kind: ZGitProviderKind,
  /** `org/repo` (GitLab: `group/sub/repo`). */
  path: z.string(),
  /** What the runtime clones (never with credentials). */
  cloneUrl: z.string(),
  defaultBranch: z.string().nullable(),
  /** Whether `branch` exists; null when no branch was asked about. */
  branchExists: z.boolean().nullable(),
});
export type RepoValidation = z.infer<typeof ZRepoValidation>;

export const ZListBranchesInput = z.strictObject({ repo: ZRepoInput });
export const ZBranch = z.strictObject({
  name: z.string(),
  commit: z.string().nullable(),
  protected: z.boolean().nullable(),
});
export type Branch = z.infer<typeof ZBranch>;
export const ZBranchList = z.strictObject({
  repo: z.string(),
  provider: z.string(),
  defaultBranch: z.string().nullable(),
  /** Every branch, all pages read. */
  branches: z.array(ZBranch),
});
export type BranchList = z.infer<typeof ZBranchList>;

export const ZPullRequestState = z.enum(['open', 'closed', 'merged']);
export const ZPullRequest = z.strictObject({
  provider: z.string(),
  repo: z.string(),
  /** GitHub's number, GitLab's iid. */
  number: z.int().positive(),
  title: z.string(),
  url: z.string(),
  state: ZPullRequestState,
  draft: z.boolean(),
  sourceBranch: z.string(),
  targetBranch: z.string(),
  author: z.string().nullable(),
  headSha: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PullRequest = z.infer<typeof ZPullRequest>;

const ZSessionId = z.string().min(1).max(255);
const ZPrText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !v.includes('\u0000'), 'must not contain U+0000');

export const ZCreatePullRequestInput = z.strictObject({
  sessionId: ZSessionId,
  title: ZPrText(256).pipe(z.string().min(1)).optional(),
  description: ZPrText(65_536).optional(),
  /** Default: the session's base branch, else the repository's default branch. */
  targetBranch: ZBranchName.optional(),
  draft: z.boolean().default(false),
});
export type CreatePullRequestInput = z.input<typeof ZCreatePullRequestInput>;

export const ZListPullRequestsInput = z.strictObject({
  sessionId: ZSessionId,
  state: z.enum(['open', 'closed', 'all']).default('open'),
});
export const ZPullRequestRef = z.strictObject({ sessionId: ZSessionId, number: z.int().positive().max(1_000_000_000) });
export const ZMergeMethod = z.enum(['merge', 'squash', 'rebase']);
export type MergeMethod = z.infer<typeof ZMergeMethod>;
export const ZMergePullRequestInput = ZPullRequestRef.extend({ method: ZMergeMethod.default('squash') });
export const ZMergeResult = z.strictObject({ merged: z.boolean(), sha: z.string().nullable(), message: z.string() });
export type MergeResult = z.infer<typeof ZMergeResult>;

export const ZCiCheck = z.strictObject({
  name: z.string(),
  status: z.enum(['queued', 'in_progress', 'completed']),
  conclusion: z
    .enum(['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required'])
    .nullable(),
  url: z.string().nullable(),
});
export type CiCheck = z.infer<typeof ZCiCheck>;
export const ZCiStatus = z.strictObject({
  number: z.int(),
  sha: z.string().nullable(),
  /** `none`: no checks ran; `pending`: some still run; `failure`: one failed. */
  state: z.enum(['none', 'pending', 'success', 'failure']),
  checks: z.array(ZCiCheck),
});
export type CiStatus = z.infer<typeof ZCiStatus>;

/** A configured provider instance, as the catalog shows it. */
export const ZGitProviderInfo = z.strictObject({
  name: z.string(),
  kind: ZGitProviderKind,
  host: z.string(),
  webUrl: z.string(),
  /** Allowed organisations / groups (empty: any on the host). */
  orgs: z.array(z.string()),
});
export type GitProviderInfo = z.infer<typeof ZGitProviderInfo>;
