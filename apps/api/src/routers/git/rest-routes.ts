import type { RestRoute } from '../../rest/rest-route';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** `{number}` comes as text; the procedure's schema decides what a valid number is. */
const pullRef = (params: Record<string, string>) => ({
  sessionId: params.id,
  number: /^\d{1,10}$/.test(params.number ?? '') ? Number(params.number) : params.number,
});
const query = (q: URLSearchParams) => Object.fromEntries(q.entries());

/** The REST face of git providers and pull requests (docs/git-and-credentials.md). */
export const gitRestRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/git/providers',
    procedure: 'git.providers',
    summary: 'Configured git providers (name, kind, host, allowed organisations)',
    tag: 'git',
    input: () => ({}),
  },
  {
    method: 'GET',
    path: '/git/validate',
    procedure: 'git.validate',
    summary: 'Check a repository (?repo=&branch=): allowed, reachable, default branch, branch exists',
    tag: 'git',
    input: ({ query: q }) => query(q),
  },
  {
    method: 'GET',
    path: '/git/branches',
    procedure: 'git.branches',
    summary: 'Every branch of a repository (?repo=), all pages',
    tag: 'git',
    input: ({ query: q }) => query(q),
  },
  {
    method: 'POST',
    path: '/sessions/{id}/pull-requests',
    procedure: 'git.pullRequests.create',
    summary: "Open a pull/merge request from the session's branch",
    tag: 'git',
    status: 201,
    input: ({ params, body }) => ({ ...(isRecord(body) ? body : {}), sessionId: params.id }),
  },
  {
    method: 'GET',
    path: '/sessions/{id}/pull-requests',
    procedure: 'git.pullRequests.list',
    summary: "Pull/merge requests from the session's branch (?state=open|closed|all)",
    tag: 'git',
    input: ({ params, query: q }) => ({ ...query(q), sessionId: params.id }),
  },
  {
    method: 'GET',
    path: '/sessions/{id}/pull-requests/{number}',
    procedure: 'git.pullRequests.get',
    summary: "One of the session's pull/merge requests",
    tag: 'git',
    input: ({ params }) => pullRef(params),
  },
  {
    method: 'POST',
    path: '/sessions/{id}/pull-requests/{number}/merge',
    procedure: 'git.pullRequests.merge',
    summary: "Merge the session's pull/merge request (method: merge|squash|rebase)",
    tag: 'git',
    input: ({ params, body }) => ({ ...(isRecord(body) ? body : {}), ...pullRef(params) }),
  },
  {
    method: 'GET',
    path: '/sessions/{id}/pull-requests/{number}/ci',
    procedure: 'git.pullRequests.ci',
    summary: "CI checks of the session's pull/merge request",
    tag: 'git',
    input: ({ params }) => pullRef(params),
  },
];
