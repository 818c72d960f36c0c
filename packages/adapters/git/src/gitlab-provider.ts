/**
 * One GitLab instance (gitlab.com or self-hosted) through @gitbeaker/rest, with our own
 * requester: every request goes through the guarded fetch (configured origin only, no
 * redirects, timeout) and is never retried in a loop (gitbeaker's default retries 429s ten
 * times); a failure becomes a DomainError naming the instance. Tokens go as `Authorization:
 * Bearer`, which GitLab accepts for OAuth and personal access tokens alike.
 */

import { createRequesterFn, getMatchingRateLimiter, type ResponseBodyTypes } from '@gitbeaker/requester-utils';
import { Gitlab } from '@gitbeaker/rest';
import type { Branch, CiCheck, MergeResult, PullRequest, RepoValidation } from '@volundr/contracts/git';
import { isDomainError } from '@volundr/core/errors';
import type { GitAuth, NewPullRequest, ResolvedRepo } from '@volundr/core/integrations/ports/git-providers';
import type { GitHubProvider } from './github-provider';
import { summarize } from './github-provider';
import { guardedFetch } from './guarded-fetch';
import type { GitLabInstance } from './provider-config';
import { providerError, type Subject } from './provider-errors';

class GitLabHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    message: string,
  ) {
    super(message);
  }
}

type RequestOptions = {
  rateLimiters?: Record<string, unknown>;
  agent?: unknown;
  asStream?: boolean;
  prefixUrl?: string;
  searchParams?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: RequestInit['body'];
  signal?: AbortSignal;
};

function requesterFor(fetch: typeof globalThis.fetch) {
  return createRequesterFn(
    (_service, options) => Promise.resolve(options),
    async (endpoint: string, options?: Record<string, unknown>) => {
      const {
        rateLimiters,
        agent: _agent,
        asStream: _stream,
        prefixUrl,
        searchParams,
        method,
        ...rest
      } = (options ?? {}) as RequestOptions;
      const rateLimit = getMatchingRateLimiter(endpoint, rateLimiters as never, method);
      await rateLimit();
      const base = prefixUrl?.endsWith('/') ? prefixUrl : `${prefixUrl ?? ''}/`;
      const url = new URL(endpoint, base);
      url.search = searchParams ?? '';
      const response = await fetch(url, { ...(rest as RequestInit), ...(method ? { method } : {}) });
      const headers = Object.fromEntries(response.headers.entries());
      const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
      if (!response.ok) {
        const text = await response.text();
        let message = text.slice(0, 300);
        if (type === 'application/json') {
          try {
            const body = JSON.parse(text) as { message?: unknown; error?: unknown };
            const said = body.message ?? body.error;
            message = typeof said === 'string' ? said : JSON.stringify(said ?? '');
          } catch {}
        }
        throw new GitLabHttpError(response.status, headers, message);
      }
      const body = (
        response.status === 204
          ? null
          : type === 'application/json'
            ? ((await response.json()) ?? {})
            : await response.text()
      ) as ResponseBodyTypes;
      return { body, headers, status: response.status };
    },
  );
}

export function createGitLabProvider(
  instance: GitLabInstance,
  options: { timeoutMs: number; instanceToken: () => Promise<string | null> },
): GitHubProvider {
  const fetch = guardedFetch([instance.webUrl], options.timeoutMs, `GitLab (${instance.name})`);
  const requesterFn = requesterFor(fetch);
  const label = `GitLab (${instance.name})`;

  async function api(auth: GitAuth) {
    const token = auth.token ?? (await options.instanceToken());
    return new Gitlab({
      host: instance.webUrl,
      requesterFn,
      queryTimeout: options.timeoutMs,
      ...(token ? { oauthToken: token } : {}),
    } as ConstructorParameters<typeof Gitlab>[0]);
  }

  async function call<T>(subject: Subject, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isDomainError(error)) throw error;
      if (error instanceof GitLabHttpError)
        throw providerError(label, subject, {
          status: error.status === 406 ? 405 : error.status,
          headers: error.headers,
          message: error.message,
        });
      throw error;
    }
  }

  type Mr = {
    iid: number;
    title: string;
    web_url: string;
    state: string;
    draft?: boolean;
    work_in_progress?: boolean;
    source_branch: string;
    target_branch: string;
    author?: { username?: string } | null;
    sha?: string | null;
    created_at: string;
    updated_at: string;
  };
  const toPull = (repo: ResolvedRepo, m: Mr): PullRequest => ({
    provider: instance.name,
    repo: repo.path,
    number: m.iid,
    title: m.title,
    url: m.web_url,
    state: m.state === 'merged' ? 'merged' : m.state === 'opened' ? 'open' : 'closed',
    draft: m.draft ?? m.work_in_progress ?? false,
    sourceBranch: m.source_branch,
    targetBranch: m.target_branch,
    author: m.author?.username ?? null,
    headSha: m.sha ?? null,
    createdAt: m.created_at,
    updatedAt: m.updated_at,
  });

  const jobCheck = (job: { name: string; status: string; web_url?: string; allow_failure?: boolean }): CiCheck => {
    const done = { status: 'completed' as const, url: job.web_url ?? null, name: job.name };
    switch (job.status) {
      case 'success':
        return { ...done, conclusion: 'success' };
      case 'failed':
        return { ...done, conclusion: job.allow_failure ? 'neutral' : 'failure' };
      case 'canceled':
        return { ...done, conclusion: 'cancelled' };
      case 'skipped':
      case 'manual':
        return { ...done, conclusion: 'skipped' };
      case 'running':
        return { name: job.name, status: 'in_progress', conclusion: null, url: job.web_url ?? null };
      default:
        return { name: job.name, status: 'queued', conclusion: null, url: job.web_url ?? null };
    }
  };

  return {
    async validate(repo, branch, auth): Promise<RepoValidation> {
      const gitlab = await api(auth);
      const subject: Subject = { kind: 'repo', path: repo.path };
      const project = (await call(subject, () => gitlab.Projects.show(repo.path))) as {
        default_branch?: string | null;
      };
      let branchExists: boolean | null = null;
      if (branch) {
        try {
          await call(subject, () => gitlab.Branches.show(repo.path, branch));
          branchExists = true;
        } catch (error) {
          if (!(isDomainError(error) && error.code === 'REPO_UNREACHABLE')) throw error;
          branchExists = false;
        }
      }
      return {
        repo: repo.repo,
        provider: instance.name,
        kind: 'gitlab',
        path: repo.path,
        cloneUrl: repo.cloneUrl,
        defaultBranch: project.default_branch ?? null,
        branchExists,
      };
    },

    async branches(repo, auth) {
      const gitlab = await api(auth);
      const subject: Subject = { kind: 'repo', path: repo.path };
      const project = (await call(subject, () => gitlab.Projects.show(repo.path))) as {
        default_branch?: string | null;
      };
      // Gitbeaker follows the Link header's rel="next" until the last page.
      const all = (await call(subject, () => gitlab.Branches.all(repo.path, { perPage: 100 }))) as {
        name: string;
        protected?: boolean;
        commit?: { id?: string };
      }[];
      const branches: Branch[] = all.map((b) => ({
        name: b.name,
        commit: b.commit?.id ?? null,
        protected: b.protected ?? null,
      }));
      return { defaultBranch: project.default_branch ?? null, branches };
    },

    async createPullRequest(repo, pr: NewPullRequest, auth) {
      const gitlab = await api(auth);
      const created = await call({ kind: 'repo', path: repo.path }, () =>
        gitlab.MergeRequests.create(
          repo.path,
          pr.sourceBranch,
          pr.targetBranch,
          pr.draft && !/^draft:/i.test(pr.title) ? `Draft: ${pr.title}` : pr.title,
          { description: pr.description },
        ),
      );
      return toPull(repo, created as unknown as Mr);
    },

    async listPullRequests(repo, filter, auth) {
      const gitlab = await api(auth);
      const state = filter.state === 'open' ? 'opened' : filter.state === 'closed' ? undefined : undefined;
      const all = (await call({ kind: 'repo', path: repo.path }, () =>
        gitlab.MergeRequests.all({
          projectId: repo.path,
          ...(filter.sourceBranch ? { sourceBranch: filter.sourceBranch } : {}),
          ...(state ? { state } : {}),
          perPage: 100,
        } as never),
      )) as unknown as Mr[];
      const pulls = all.map((m) => toPull(repo, m));
      return filter.state === 'closed' ? pulls.filter((p) => p.state !== 'open') : pulls;
    },

    async getPullRequest(repo, number, auth) {
      const gitlab = await api(auth);
      const mr = await call({ kind: 'pull', path: repo.path, number }, () =>
        gitlab.MergeRequests.show(repo.path, number),
      );
      return toPull(repo, mr as unknown as Mr);
    },

    async mergePullRequest(repo, number, method, auth): Promise<MergeResult> {
      const gitlab = await api(auth);
      try {
        const merged = (await call({ kind: 'pull', path: repo.path, number }, () =>
          gitlab.MergeRequests.merge(repo.path, number, { squash: method === 'squash' }),
        )) as unknown as {
          state: string;
          merge_commit_sha?: string | null;
          squash_commit_sha?: string | null;
          sha?: string;
        };
        const sha = merged.squash_commit_sha ?? merged.merge_commit_sha ?? null;
        return merged.state === 'merged'
          ? { merged: true, sha, message: `Merged !${number}` }
          : { merged: false, sha: null, message: `!${number} is ${merged.state}` };
      } catch (error) {
        if (isDomainError(error) && error.code === 'BAD_REQUEST')
          return { merged: false, sha: null, message: error.message };
        throw error;
      }
    },

    async ciStatus(repo, number, auth) {
      const gitlab = await api(auth);
      const subject: Subject = { kind: 'pull', path: repo.path, number };
      const mr = (await call(subject, () => gitlab.MergeRequests.show(repo.path, number))) as unknown as Mr;
      const pipelines = (await call(subject, () =>
        gitlab.MergeRequests.allPipelines(repo.path, number),
      )) as unknown as {
        id: number;
        sha: string;
      }[];
      const latest = pipelines[0];
      if (!latest) return { number, sha: mr.sha ?? null, state: 'none', checks: [] };
      const jobs = (await call({ kind: 'repo', path: repo.path }, () =>
        gitlab.Jobs.all(repo.path, { pipelineId: latest.id, perPage: 100 } as never),
      )) as unknown as { name: string; status: string; web_url?: string; allow_failure?: boolean }[];
      const checks = jobs.map(jobCheck);
      return { number, sha: latest.sha, state: summarize(checks), checks };
    },

    async account(token) {
      const gitlab = await api({ token });
      const user = (await call({ kind: 'account' }, () => gitlab.Users.showCurrentUser())) as { username: string };
      return { account: user.username, scopes: [] };
    },
  };
}
