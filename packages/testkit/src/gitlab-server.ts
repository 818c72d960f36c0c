/**
 * A GitLab test server: the REST endpoints Volundr uses under `/api/v4`, the OAuth endpoints
 * (`/oauth/authorize`, `/oauth/token`), and real repositories over smart HTTP at
 * `/<group>/<project>.git`, on one origin. As documented: projects by URL-encoded path,
 * offset pagination (per_page ≤ 100, default 20) with `x-total`, `x-next-page`… and `Link`,
 * `RateLimit-*` headers with 429 + `Retry-After` when spent, `401 Unauthorized`,
 * `404 Project Not Found`, 409 for a duplicate merge request, 405 for one that cannot merge.
 * Tokens come as `PRIVATE-TOKEN` or `Authorization: Bearer`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createBranches,
  ForgeState,
  headBranch,
  type LoggedRequest,
  listBranches,
  type OAuthAppConfig,
  paginate,
  readBody,
  respond,
  sendJson,
  serveGit,
  startForgeGit,
} from './forge-support';

export interface GitLabJob {
  name: string;
  status: 'created' | 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'manual';
  allowFailure?: boolean;
}

interface MergeRequest {
  iid: number;
  project: string;
  title: string;
  description: string;
  source: string;
  target: string;
  state: 'opened' | 'closed' | 'merged';
  mergeable: boolean;
  author: string;
  createdAt: string;
  updatedAt: string;
  mergeSha: string | null;
}

export interface GitLabServer {
  /** The web origin (`webUrl`); the API is at `${url}/api/v4`. */
  url: string;
  createRepo(
    path: string,
    files: Record<string, string>,
    options?: { private?: boolean; members?: string[]; branch?: string },
  ): Promise<string>;
  addBranches(path: string, names: readonly string[], from?: string): Promise<void>;
  addToken(token: string, username: string, scopes?: string[]): void;
  /** The pipeline of a merge request's head (latest first) with its jobs. */
  setPipeline(path: string, iid: number, jobs: GitLabJob[]): void;
  setMergeable(path: string, iid: number, mergeable: boolean): void;
  setRateLimitRemaining(remaining: number): void;
  expireAccessTokens(): void;
  expireAccessToken(token: string): void;
  readonly requests: LoggedRequest[];
  mergeRequests(path: string): readonly MergeRequest[];
  close(): Promise<void>;
}

export async function startGitLabServer(options: { oauthApp?: OAuthAppConfig } = {}): Promise<GitLabServer> {
  const git = await startForgeGit();
  const state = new ForgeState(git, options.oauthApp ?? null);
  const mrs = new Map<string, MergeRequest[]>();
  const pipelines = new Map<string, { id: number; jobs: GitLabJob[] }>();
  let pipelineIds = 100;
  let url = '';

  const shaOf = async (path: string, branch: string) =>
    (await listBranches(state.bare(path))).find((b) => b.name === branch)?.sha ?? null;
  const mrJson = async (mr: MergeRequest) => ({
    id: mr.iid + 1000,
    iid: mr.iid,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    draft: /^draft:/i.test(mr.title),
    source_branch: mr.source,
    target_branch: mr.target,
    author: { username: mr.author },
    sha: await shaOf(mr.project, mr.source),
    merge_commit_sha: mr.mergeSha,
    squash_commit_sha: null,
    web_url: `${url}/${mr.project}/-/merge_requests/${mr.iid}`,
    created_at: mr.createdAt,
    updated_at: mr.updatedAt,
  });

  async function api(req: IncomingMessage, res: ServerResponse, path: string, u: URL): Promise<number> {
    const bearer = /^bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const token = bearer ?? (req.headers['private-token'] ? String(req.headers['private-token']) : null);
    const budget = state.spend(token);
    const rate = {
      'ratelimit-limit': String(state.rateLimit),
      'ratelimit-observed': String(state.rateLimit - budget.remaining),
      'ratelimit-remaining': String(budget.remaining),
      'ratelimit-reset': String(state.rateLimitResetAt),
    };
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      sendJson(res, status, body, { ...rate, ...headers });
      return status;
    };
    if (!budget.ok) {
      res.writeHead(429, { ...rate, 'retry-after': '60', 'content-type': 'text/plain' });
      res.end('Retry later\n');
      return 429;
    }
    const who = state.check(token);
    if (token && !who) return json(401, { message: '401 Unauthorized' });
    if (path === '/user' && req.method === 'GET') {
      if (!who) return json(401, { message: '401 Unauthorized' });
      return json(200, { id: 1, username: who.login, name: who.login, state: 'active' });
    }
    const m = /^\/projects\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return json(404, { error: '404 Not Found' });
    const project = decodeURIComponent(m[1]!);
    const rest = m[2] ?? '';
    const repo = state.repos.get(project);
    if (!repo || !state.canSee(repo, who)) return json(404, { message: '404 Project Not Found' });
    const bare = state.bare(project);

    const paged = <T>(items: readonly T[], map: (item: T) => unknown) => {
      const page = paginate(items, u, 20, 100);
      const headers: Record<string, string> = {
        'x-total': String(items.length),
        'x-total-pages': String(page.last),
        'x-page': String(page.page),
        'x-per-page': String(page.per),
        'x-next-page': page.page < page.last ? String(page.page + 1) : '',
        'x-prev-page': page.page > 1 ? String(page.page - 1) : '',
        ...(page.link ? { link: page.link } : {}),
      };
      return json(200, page.slice.map(map), headers);
    };

    if (rest === '' && req.method === 'GET')
      return json(200, {
        id: 7,
        path_with_namespace: project,
        default_branch: await headBranch(bare),
        visibility: repo.private ? 'private' : 'public',
        web_url: `${url}/${project}`,
        http_url_to_repo: `${url}/${project}.git`,
      });
    if (rest === '/repository/branches' && req.method === 'GET') {
      const def = await headBranch(bare);
      return paged(await listBranches(bare), (b) => ({
        name: b.name,
        default: b.name === def,
        protected: b.name === def,
        commit: { id: b.sha, short_id: b.sha.slice(0, 8) },
      }));
    }
    const branch = /^\/repository\/branches\/(.+)$/.exec(rest);
    if (branch && req.method === 'GET') {
      const name = decodeURIComponent(branch[1]!);
      const found = (await listBranches(bare)).find((b) => b.name === name);
      return found ? json(200, { name, commit: { id: found.sha } }) : json(404, { message: '404 Branch Not Found' });
    }
    const list = mrs.get(project) ?? [];
    if (rest === '/merge_requests' && req.method === 'POST') {
      if (!who) return json(401, { message: '401 Unauthorized' });
      const body = await readBody(req);
      const source = String(body.source_branch ?? '');
      const target = String(body.target_branch ?? '');
      if (!body.title || !source || !target)
        return json(400, { message: 'title, source_branch, target_branch are missing' });
      const branches = new Set((await listBranches(bare)).map((b) => b.name));
      if (!branches.has(source) || !branches.has(target))
        return json(400, { message: ['Source branch is invalid or target branch does not exist'] });
      const existing = list.find((mr) => mr.state === 'opened' && mr.source === source && mr.target === target);
      if (existing)
        return json(409, {
          message: [`Another open merge request already exists for this source branch: !${existing.iid}`],
        });
      const now = new Date().toISOString();
      const mr: MergeRequest = {
        iid: list.length + 1,
        project,
        title: String(body.title),
        description: String(body.description ?? ''),
        source,
        target,
        state: 'opened',
        mergeable: true,
        author: who.login,
        createdAt: now,
        updatedAt: now,
        mergeSha: null,
      };
      mrs.set(project, [...list, mr]);
      return json(201, await mrJson(mr));
    }
    if (rest === '/merge_requests' && req.method === 'GET') {
      const wanted = u.searchParams.get('state');
      const source = u.searchParams.get('source_branch');
      const matching = list.filter(
        (mr) => (!wanted || wanted === 'all' || mr.state === wanted) && (!source || mr.source === source),
      );
      const page = paginate(matching, u, 20, 100);
      const out = [];
      for (const mr of page.slice) out.push(await mrJson(mr));
      return json(200, out, {
        'x-total': String(matching.length),
        'x-next-page': page.page < page.last ? String(page.page + 1) : '',
        ...(page.link ? { link: page.link } : {}),
      });
    }
    const one = /^\/merge_requests\/(\d+)(\/merge|\/pipelines)?$/.exec(rest);
    if (one) {
      const mr = list.find((x) => x.iid === Number(one[1]));
      if (!mr) return json(404, { message: '404 Not found' });
      if (!one[2] && req.method === 'GET') return json(200, await mrJson(mr));
      if (one[2] === '/merge' && req.method === 'PUT') {
        if (!who) return json(401, { message: '401 Unauthorized' });
        if (mr.state !== 'opened' || !mr.mergeable) return json(405, { message: '405 Method Not Allowed' });
        mr.state = 'merged';
        mr.mergeSha = randomBytes(20).toString('hex');
        mr.updatedAt = new Date().toISOString();
        return json(200, await mrJson(mr));
      }
      if (one[2] === '/pipelines' && req.method === 'GET') {
        const pipeline = pipelines.get(`${project}!${mr.iid}`);
        const sha = await shaOf(project, mr.source);
        return json(200, pipeline ? [{ id: pipeline.id, sha, ref: mr.source, status: 'running' }] : []);
      }
    }
    const jobs = /^\/pipelines\/(\d+)\/jobs$/.exec(rest);
    if (jobs && req.method === 'GET') {
      const pipeline = [...pipelines.entries()].find(
        ([key, p]) => key.startsWith(`${project}!`) && p.id === Number(jobs[1]),
      );
      if (!pipeline) return json(404, { message: '404 Not found' });
      return paged(pipeline[1].jobs, (j) => ({
        id: 1,
        name: j.name,
        status: j.status,
        allow_failure: j.allowFailure ?? false,
        web_url: `${url}/${project}/-/jobs/1`,
      }));
    }
    return json(404, { error: '404 Not Found' });
  }

  async function oauth(req: IncomingMessage, res: ServerResponse, path: string, u: URL): Promise<number> {
    const app = state.oauthApp;
    if (!app) return respond(res, 404, { error: 'not_found' });
    if (path === '/oauth/authorize' && req.method === 'GET') {
      const redirect = u.searchParams.get('redirect_uri');
      if (
        u.searchParams.get('client_id') !== app.clientId ||
        !redirect ||
        u.searchParams.get('response_type') !== 'code'
      )
        return respond(res, 400, { error: 'invalid_request' });
      const target = new URL(redirect);
      const scopes = (u.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
      target.searchParams.set('code', state.newCode(app.login, scopes, redirect));
      target.searchParams.set('state', u.searchParams.get('state') ?? '');
      res.writeHead(302, { location: target.toString() });
      res.end();
      return 302;
    }
    if (path === '/oauth/token' && req.method === 'POST') {
      const body = await readBody(req);
      const fail = (status: number, error: string, description: string) =>
        respond(res, status, { error, error_description: description });
      if (body.client_id !== app.clientId || body.client_secret !== app.clientSecret)
        return fail(401, 'invalid_client', 'Client authentication failed due to unknown client.');
      let grant: { login: string; scopes: string[] };
      if (body.grant_type === 'refresh_token') {
        const found = state.refreshTokens.get(String(body.refresh_token));
        if (!found) return fail(400, 'invalid_grant', 'The provided authorization grant is invalid, expired, revoked.');
        state.refreshTokens.delete(String(body.refresh_token));
        grant = found;
      } else if (body.grant_type === 'authorization_code') {
        const code = state.codes.get(String(body.code));
        state.codes.delete(String(body.code));
        if (!code || code.expiresAt < state.now() || body.redirect_uri !== code.redirectUri)
          return fail(400, 'invalid_grant', 'The provided authorization grant is invalid, expired, revoked.');
        grant = code;
      } else return fail(400, 'unsupported_grant_type', 'The authorization grant type is not supported.');
      const issued = state.issueOAuth(grant.login, grant.scopes);
      sendJson(res, 200, {
        access_token: issued.accessToken,
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
        refresh_token: issued.refreshToken,
        scope: grant.scopes.join(' '),
        created_at: Math.floor(Date.now() / 1000),
      });
      return 200;
    }
    sendJson(res, 404, { error: 'not_found' });
    return 404;
  }

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', url);
    const authenticated = Boolean(req.headers.authorization || req.headers['private-token']);
    const log = (status: number) =>
      state.requests.push({ method: req.method ?? 'GET', path: u.pathname, authenticated, status });
    const gitPath = /^\/(.+?)\.git(\/.*)$/.exec(u.pathname);
    if (gitPath) {
      res.on('finish', () => log(res.statusCode));
      serveGit(state, req, res, gitPath[1]!, gitPath[2]!, u.search);
      return;
    }
    // GitLab's API paths carry the project as one encoded segment: route on the raw path.
    const raw = (req.url ?? '/').split('?')[0]!;
    const handle = raw.startsWith('/api/v4/')
      ? api(req, res, raw.slice('/api/v4'.length), u)
      : raw.startsWith('/oauth/')
        ? oauth(req, res, raw, u)
        : Promise.resolve(respond(res, 404, { error: '404 Not Found' }));
    handle.then(log, (error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { message: error.message });
      else res.end();
      log(500);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    async createRepo(path, files, repoOptions = {}) {
      await git.createRepo(path, files, repoOptions.branch ? { branch: repoOptions.branch } : {});
      state.repos.set(path, { path, private: repoOptions.private ?? false, members: repoOptions.members ?? [] });
      return `${url}/${path}`;
    },
    async addBranches(path, names, from) {
      const bare = state.bare(path);
      await createBranches(bare, names, from ?? (await headBranch(bare)) ?? 'main');
    },
    addToken: (token, username, scopes = ['api']) => state.addToken(token, username, scopes),
    setPipeline(path, iid, jobList) {
      pipelines.set(`${path}!${iid}`, { id: ++pipelineIds, jobs: jobList });
    },
    setMergeable(path, iid, mergeable) {
      const mr = mrs.get(path)?.find((x) => x.iid === iid);
      if (mr) mr.mergeable = mergeable;
    },
    setRateLimitRemaining(remaining) {
      state.remaining.clear();
      state.rateLimit = Math.max(remaining, 0);
    },
    expireAccessTokens: () => state.expireAccessTokens(),
    expireAccessToken: (token) => state.expireAccessToken(token),
    requests: state.requests,
    mergeRequests: (path) => mrs.get(path) ?? [],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await git.close();
    },
  };
}
