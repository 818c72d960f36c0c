/**
 * One GitHub (or GitHub Enterprise) instance through @octokit/rest, every request through the
 * guarded fetch (configured origins only, no redirects, timeout). Errors become DomainErrors
 * with the provider's name and what to do; the raw library error (which carries the request,
 * and so the token) never leaves this file.
 */
import { Octokit } from '@octokit/rest';
import type { Branch, CiCheck, CiStatus, MergeResult, PullRequest, RepoValidation } from '@volundr/contracts/git';
import { isDomainError } from '@volundr/core/errors';
import type { GitAuth, NewPullRequest, ResolvedRepo } from '@volundr/core/integrations/ports/git-providers';
import { guardedFetch } from './guarded-fetch';
import type { GitHubInstance } from './provider-config';
import { providerError, type Subject } from './provider-errors';

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

export function githubApiUrl(instance: GitHubInstance): string {
  if (instance.apiUrl) return instance.apiUrl;
  return new URL(instance.webUrl).host === 'github.com' ? 'https://api.github.com' : `${instance.webUrl}/api/v3`;
}

interface RequestErrorLike {
  status: number;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  message: string;
  cause?: unknown;
}

const isRequestError = (e: unknown): e is RequestErrorLike =>
  typeof e === 'object' && e !== null && typeof (e as RequestErrorLike).status === 'number';

export interface GitHubProvider {
  validate(repo: ResolvedRepo, branch: string | undefined, auth: GitAuth): Promise<RepoValidation>;
  branches(repo: ResolvedRepo, auth: GitAuth): Promise<{ defaultBranch: string | null; branches: Branch[] }>;
  createPullRequest(repo: ResolvedRepo, pr: NewPullRequest, auth: GitAuth): Promise<PullRequest>;
  listPullRequests(
    repo: ResolvedRepo,
    filter: { sourceBranch?: string; state: 'open' | 'closed' | 'all' },
    auth: GitAuth,
  ): Promise<PullRequest[]>;
  getPullRequest(repo: ResolvedRepo, number: number, auth: GitAuth): Promise<PullRequest>;
  mergePullRequest(
    repo: ResolvedRepo,
    number: number,
    method: 'merge' | 'squash' | 'rebase',
    auth: GitAuth,
  ): Promise<MergeResult>;
  ciStatus(repo: ResolvedRepo, number: number, auth: GitAuth): Promise<CiStatus>;
  account(token: string): Promise<{ account: string; scopes: string[] }>;
}

export function createGitHubProvider(
  instance: GitHubInstance,
  options: { timeoutMs: number; instanceToken: () => Promise<string | null> },
): GitHubProvider {
  const apiUrl = githubApiUrl(instance);
  const fetch = guardedFetch([apiUrl], options.timeoutMs, `GitHub (${instance.name})`);

  async function client(auth: GitAuth): Promise<Octokit> {
    const token = auth.token ?? (await options.instanceToken());
    return new Octokit({
      baseUrl: apiUrl,
      ...(token ? { auth: token } : {}),
      userAgent: 'volundr',
      log: silentLog,
      request: { fetch },
    });
  }

  async function call<T>(subject: Subject, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isDomainError(error)) throw error;
      if (isRequestError(error)) {
        if (isDomainError(error.cause)) throw error.cause;
        const data = error.response?.data as { message?: string } | undefined;
        throw providerError(`GitHub (${instance.name})`, subject, {
          status: error.status,
          headers: error.response?.headers ?? {},
          message: typeof data?.message === 'string' ? data.message : '',
        });
      }
      throw error;
    }
  }

  const split = (repo: ResolvedRepo) => {
    const [owner, name] = repo.path.split('/');
    return { owner: owner!, repo: name! };
  };

  const toPull = (
    repo: ResolvedRepo,
    p: {
      number: number;
      title: string;
      html_url: string;
      state: string;
      draft?: boolean | null;
      merged_at?: string | null;
      merged?: boolean | null;
      head: { ref: string; sha: string };
      base: { ref: string };
      user: { login: string } | null;
      created_at: string;
      updated_at: string;
    },
  ): PullRequest => ({
    provider: instance.name,
    repo: repo.path,
    number: p.number,
    title: p.title,
    url: p.html_url,
    state: p.merged_at || p.merged ? 'merged' : p.state === 'open' ? 'open' : 'closed',
    draft: p.draft ?? false,
    sourceBranch: p.head.ref,
    targetBranch: p.base.ref,
    author: p.user?.login ?? null,
    headSha: p.head.sha,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  });

  return {
    async validate(repo, branch, auth) {
      const octokit = await client(auth);
      const subject: Subject = { kind: 'repo', path: repo.path };
      const { data } = await call(subject, () => octokit.rest.repos.get(split(repo)));
      let branchExists: boolean | null = null;
      if (branch) {
        try {
          await call(subject, () => octokit.rest.repos.getBranch({ ...split(repo), branch }));
          branchExists = true;
        } catch (error) {
          if (!(isDomainError(error) && error.code === 'REPO_UNREACHABLE')) throw error;
          branchExists = false;
        }
      }
      return {
        repo: repo.repo,
        provider: instance.name,
        kind: 'github',
        path: repo.path,
        cloneUrl: repo.cloneUrl,
        defaultBranch: data.default_branch ?? null,
        branchExists,
      };
    },

    async branches(repo, auth) {
      const octokit = await client(auth);
      const subject: Subject = { kind: 'repo', path: repo.path };
      const { data } = await call(subject, () => octokit.rest.repos.get(split(repo)));
      // Follows the Link header's rel="next" until the last page (100 per page, GitHub's maximum).
      const all = await call(subject, () =>
        octokit.paginate(octokit.rest.repos.listBranches, { ...split(repo), per_page: 100 }),
      );
      return {
        defaultBranch: data.default_branch ?? null,
        branches: all.map((b) => ({ name: b.name, commit: b.commit?.sha ?? null, protected: b.protected ?? null })),
      };
    },

    async createPullRequest(repo, pr, auth) {
      const octokit = await client(auth);
      const { data } = await call({ kind: 'repo', path: repo.path }, () =>
        octokit.rest.pulls.create({
          ...split(repo),
          head: pr.sourceBranch,
          base: pr.targetBranch,
          title: pr.title,
          body: pr.description,
          draft: pr.draft,
        }),
      );
      return toPull(repo, data);
    },

    async listPullRequests(repo, filter, auth) {
      const octokit = await client(auth);
      const { owner } = split(repo);
      const all = await call({ kind: 'repo', path: repo.path }, () =>
        octokit.paginate(octokit.rest.pulls.list, {
          ...split(repo),
          state: filter.state,
          ...(filter.sourceBranch ? { head: `${owner}:${filter.sourceBranch}` } : {}),
          per_page: 100,
        }),
      );
      return all.map((p) => toPull(repo, p));
    },

    async getPullRequest(repo, number, auth) {
      const octokit = await client(auth);
      const { data } = await call({ kind: 'pull', path: repo.path, number }, () =>
        octokit.rest.pulls.get({ ...split(repo), pull_number: number }),
      );
      return toPull(repo, data);
    },

    async mergePullRequest(repo, number, method, auth) {
      const octokit = await client(auth);
      try {
        const { data } = await call({ kind: 'pull', path: repo.path, number }, () =>
          octokit.rest.pulls.merge({ ...split(repo), pull_number: number, merge_method: method }),
        );
        return { merged: data.merged, sha: data.sha ?? null, message: data.message };
      } catch (error) {
        // 405 (not mergeable) and 409 (head moved) are answers, not failures.
        if (isDomainError(error) && error.code === 'BAD_REQUEST')
          return { merged: false, sha: null, message: error.message };
        throw error;
      }
    },

    async ciStatus(repo, number, auth) {
      const octokit = await client(auth);
      const { data: pr } = await call({ kind: 'pull', path: repo.path, number }, () =>
        octokit.rest.pulls.get({ ...split(repo), pull_number: number }),
      );
      const ref = pr.head.sha;
      const subject: Subject = { kind: 'repo', path: repo.path };
      const runs = await call(subject, () =>
        octokit.paginate(octokit.rest.checks.listForRef, { ...split(repo), ref, per_page: 100 }),
      );
      const { data: combined } = await call(subject, () =>
        octokit.rest.repos.getCombinedStatusForRef({ ...split(repo), ref, per_page: 100 }),
      );
      const checks: CiCheck[] = [
        ...runs.map((r) => ({
          name: r.name,
          status:
            r.status === 'completed'
              ? ('completed' as const)
              : r.status === 'in_progress'
                ? ('in_progress' as const)
                : ('queued' as const),
          conclusion: (r.conclusion as CiCheck['conclusion']) ?? null,
          url: r.html_url ?? null,
        })),
        ...combined.statuses.map((s) => ({
          name: s.context,
          status: s.state === 'pending' ? ('in_progress' as const) : ('completed' as const),
          conclusion:
            s.state === 'pending' ? null : s.state === 'success' ? ('success' as const) : ('failure' as const),
          url: s.target_url ?? null,
        })),
      ];
      return { number, sha: ref, state: summarize(checks), checks };
    },

    async account(token) {
      const octokit = await client({ token });
      const response = await call({ kind: 'account' }, () => octokit.rest.users.getAuthenticated());
      const scopes = (response.headers['x-oauth-scopes'] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return { account: response.data.login, scopes };
    },
  };
}

/** One failed check fails the whole; one still running keeps it pending. */
export function summarize(checks: readonly CiCheck[]): CiStatus['state'] {
  if (checks.length === 0) return 'none';
  const failed = new Set(['failure', 'cancelled', 'timed_out', 'action_required']);
  if (checks.some((c) => c.conclusion !== null && failed.has(c.conclusion))) return 'failure';
  if (checks.some((c) => c.status !== 'completed')) return 'pending';
  return 'success';
}
