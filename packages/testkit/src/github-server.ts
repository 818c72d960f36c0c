/**
 * A GitHub (Enterprise-style) test server: the REST endpoints Volundr uses under `/api/v3`, the
 * OAuth app endpoints under `/login/oauth`, and real git repositories over smart HTTP at
 * `/<owner>/<repo>.git`, on one origin. Answers follow GitHub's documentation: `Link`
 * pagination (per_page ≤ 100, default 30), `x-ratelimit-*` headers (403 with remaining 0 when
 * spent), 401 "Bad credentials", 404 for a private repository the token cannot see, 422 for an
 * invalid pull request, 405 for a merge that cannot happen, and OAuth errors as 200 + `error`.
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

export interface GitHubCheck {
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
}

interface Pull {
  number: number;
  owner: string;
  repo: string;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  merged: boolean;
  mergeable: boolean;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface GitHubServer {
  /** The web origin (`webUrl`); the API is at `${url}/api/v3`. */
  url: string;
  apiUrl: string;
  createRepo(
    fullName: string,
    files: Record<string, string>,
    options?: { private?: boolean; members?: string[]; branch?: string },
  ): Promise<string>;
  /** Adds `names` as branches at the tip of `from` (default: the default branch). */
  addBranches(fullName: string, names: readonly string[], from?: string): Promise<void>;
  addToken(token: string, login: string, scopes?: string[]): void;
  setChecks(fullName: string, sha: string, checks: GitHubCheck[]): void;
  setMergeable(fullName: string, number: number, mergeable: boolean): void;
  /** The API budget each token (and anonymous callers) has left. */
  setRateLimitRemaining(remaining: number): void;
  expireAccessTokens(): void;
  expireAccessToken(token: string): void;
  readonly requests: LoggedRequest[];
  pulls(fullName: string): readonly Pull[];
  close(): Promise<void>;
}

export async function startGitHubServer(options: { oauthApp?: OAuthAppConfig } = {}): Promise<GitHubServer> {
  const git = await startForgeGit();
  const state = new ForgeState(git, options.oauthApp ?? null);
  const pulls = new Map<string, Pull[]>();
  const checks = new Map<string, GitHubCheck[]>();
  let url = '';

  const repoJson = async (fullName: string) => {
    const info = state.repos.get(fullName)!;
    const [owner, name] = fullName.split('/');
    return {
      id: 1,
      name,
      full_name: fullName,
      owner: { login: owner },
      private: info.private,
      default_branch: (await headBranch(state.bare(fullName))) ?? 'main',
      html_url: `${url}/${fullName}`,
      clone_url: `${url}/${fullName}.git`,
    };
  };
  const pullJson = (p: Pull, sha: string | null) => ({
    number: p.number,
    title: p.title,
    body: p.body,
    html_url: `${url}/${p.owner}/${p.repo}/pull/${p.number}`,
    state: p.state,
    draft: p.draft,
    merged: p.merged,
    merged_at: p.merged ? p.updatedAt : null,
    mergeable: p.mergeable,
    head: { ref: p.head, sha: sha ?? '0'.repeat(40), label: `${p.owner}:${p.head}` },
    base: { ref: p.base, label: `${p.owner}:${p.base}` },
    user: { login: p.user },
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  });
  const shaOf = async (fullName: string, branch: string) =>
    (await listBranches(state.bare(fullName))).find((b) => b.name === branch)?.sha ?? null;

  async function api(req: IncomingMessage, res: ServerResponse, path: string, u: URL): Promise<number> {
    const header = String(req.headers.authorization ?? '');
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(header)?.[1] ?? null;
    const budget = state.spend(token);
    const rate = {
      'x-ratelimit-limit': String(state.rateLimit),
      'x-ratelimit-remaining': String(budget.remaining),
      'x-ratelimit-reset': String(state.rateLimitResetAt),
      'x-ratelimit-used': String(state.rateLimit - budget.remaining),
      'x-ratelimit-resource': 'core',
    };
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      sendJson(res, status, body, { ...rate, ...headers });
      return status;
    };
    if (!budget.ok)
      return json(403, {
        message: 'API rate limit exceeded for user.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      });
    const who = state.check(token);
    if (token && !who)
      return json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });

    if (path === '/user' && req.method === 'GET') {
      if (!who) return json(401, { message: 'Requires authentication' });
      return json(200, { login: who.login, id: 1, type: 'User' }, { 'x-oauth-scopes': who.scopes.join(', ') });
    }
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return json(404, { message: 'Not Found' });
    const fullName = `${m[1]}/${m[2]}`;
    const rest = m[3] ?? '';
    const repo = state.repos.get(fullName);
    if (!repo || !state.canSee(repo, who)) return json(404, { message: 'Not Found' });
    const bare = state.bare(fullName);

    if (rest === '' && req.method === 'GET') return json(200, await repoJson(fullName));
    if (rest === '/branches' && req.method === 'GET') {
      const all = await listBranches(bare);
      const page = paginate(all, u, 30, 100);
      return json(
        200,
        page.slice.map((b) => ({ name: b.name, commit: { sha: b.sha, url: '' }, protected: b.name === 'main' })),
        page.link ? { link: page.link } : {},
      );
    }
    const branch = /^\/branches\/(.+)$/.exec(rest);
    if (branch && req.method === 'GET') {
      const name = decodeURIComponent(branch[1]!);
      const found = (await listBranches(bare)).find((b) => b.name === name);
      return found
        ? json(200, { name, commit: { sha: found.sha }, protected: false })
        : json(404, { message: 'Branch not found' });
    }
    const list = pulls.get(fullName) ?? [];
    if (rest === '/pulls' && req.method === 'POST') {
      if (!who) return json(401, { message: 'Requires authentication' });
      const body = await readBody(req);
      const head = String(body.head ?? '').replace(/^[^:]+:/, '');
      const base = String(body.base ?? '');
      const branches = new Set((await listBranches(bare)).map((b) => b.name));
      const errors: { resource: string; field: string; code: string; message?: string }[] = [];
      if (!body.title) errors.push({ resource: 'PullRequest', field: 'title', code: 'missing_field' });
      if (!branches.has(head)) errors.push({ resource: 'PullRequest', field: 'head', code: 'invalid' });
      if (!branches.has(base)) errors.push({ resource: 'PullRequest', field: 'base', code: 'invalid' });
      if (list.some((p) => p.state === 'open' && p.head === head && p.base === base))
        errors.push({
          resource: 'PullRequest',
          field: 'head',
          code: 'custom',
          message: `A pull request already exists for ${m[1]}:${head}.`,
        });
      if (errors.length)
        return json(422, {
          message: errors[0]?.message ?? 'Validation Failed',
          errors,
          documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
        });
      const now = new Date().toISOString();
      const pull: Pull = {
        number: list.length + 1,
        owner: m[1]!,
        repo: m[2]!,
        title: String(body.title),
        body: String(body.body ?? ''),
        head,
        base,
        draft: body.draft === true,
        state: 'open',
        merged: false,
        mergeable: true,
        user: who.login,
        createdAt: now,
        updatedAt: now,
      };
      pulls.set(fullName, [...list, pull]);
      return json(201, pullJson(pull, await shaOf(fullName, head)));
    }
    if (rest === '/pulls' && req.method === 'GET') {
      const wanted = u.searchParams.get('state') ?? 'open';
      const head = u.searchParams.get('head')?.replace(/^[^:]+:/, '');
      const matching = list.filter((p) => (wanted === 'all' || p.state === wanted) && (!head || p.head === head));
      const page = paginate(matching, u, 30, 100);
      const out = [];
      for (const p of page.slice) out.push(pullJson(p, await shaOf(fullName, p.head)));
      return json(200, out, page.link ? { link: page.link } : {});
    }
    const one = /^\/pulls\/(\d+)(\/merge)?$/.exec(rest);
    if (one) {
      const pull = list.find((p) => p.number === Number(one[1]));
      if (!pull) return json(404, { message: 'Not Found' });
      if (!one[2] && req.method === 'GET') return json(200, pullJson(pull, await shaOf(fullName, pull.head)));
      if (one[2] && req.method === 'PUT') {
        if (!who) return json(401, { message: 'Requires authentication' });
        const body = await readBody(req);
        const method = String(body.merge_method ?? 'merge');
        if (!['merge', 'squash', 'rebase'].includes(method))
          return json(422, { message: 'Validation Failed', errors: [{ field: 'merge_method', code: 'invalid' }] });
        if (pull.state !== 'open' || !pull.mergeable) return json(405, { message: 'Pull Request is not mergeable' });
        pull.state = 'closed';
        pull.merged = true;
        pull.updatedAt = new Date().toISOString();
        const sha = randomBytes(20).toString('hex');
        return json(200, { sha, merged: true, message: 'Pull Request successfully merged' });
      }
    }
    const commit = /^\/commits\/([^/]+)\/(check-runs|status)$/.exec(rest);
    if (commit && req.method === 'GET') {
      const runs = checks.get(`${fullName}@${commit[1]}`) ?? [];
      if (commit[2] === 'check-runs') {
        const page = paginate(runs, u, 30, 100);
        return json(
          200,
          {
            total_count: runs.length,
            check_runs: page.slice.map((c, i) => ({
              id: i + 1,
              name: c.name,
              status: c.status,
              conclusion: c.conclusion,
              html_url: `${url}/${fullName}/runs/${i + 1}`,
            })),
          },
          page.link ? { link: page.link } : {},
        );
      }
      return json(200, { state: 'pending', sha: commit[1], total_count: 0, statuses: [] });
    }
    return json(404, { message: 'Not Found' });
  }

  async function oauth(req: IncomingMessage, res: ServerResponse, path: string, u: URL): Promise<number> {
    const app = state.oauthApp;
    if (!app) return respond(res, 404, { message: 'Not Found' });
    if (path === '/login/oauth/authorize' && req.method === 'GET') {
      const redirect = u.searchParams.get('redirect_uri');
      if (u.searchParams.get('client_id') !== app.clientId || !redirect)
        return respond(res, 400, { error: 'redirect_uri_mismatch' });
      const scopes = (u.searchParams.get('scope') ?? '').split(/[ ,]+/).filter(Boolean);
      const target = new URL(redirect);
      target.searchParams.set('code', state.newCode(app.login, scopes, redirect));
      target.searchParams.set('state', u.searchParams.get('state') ?? '');
      res.writeHead(302, { location: target.toString() });
      res.end();
      return 302;
    }
    if (path === '/login/oauth/access_token' && req.method === 'POST') {
      const body = await readBody(req);
      const fail = (error: string, description: string) => respond(res, 200, { error, error_description: description });
      if (body.client_id !== app.clientId || body.client_secret !== app.clientSecret)
        return fail('incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.');
      let grant: { login: string; scopes: string[] };
      if (body.grant_type === 'refresh_token') {
        const found = state.refreshTokens.get(String(body.refresh_token));
        if (!found) return fail('bad_refresh_token', 'The refresh token passed is incorrect or expired.');
        state.refreshTokens.delete(String(body.refresh_token));
        grant = found;
      } else {
        const code = state.codes.get(String(body.code));
        state.codes.delete(String(body.code));
        if (!code || code.expiresAt < state.now())
          return fail('bad_verification_code', 'The code passed is incorrect or expired.');
        if (body.redirect_uri && body.redirect_uri !== code.redirectUri)
          return fail(
            'redirect_uri_mismatch',
            'The redirect_uri MUST match the registered callback URL for this application.',
          );
        grant = code;
      }
      const issued = state.issueOAuth(grant.login, grant.scopes);
      sendJson(res, 200, {
        access_token: issued.accessToken,
        token_type: 'bearer',
        scope: grant.scopes.join(','),
        expires_in: issued.expiresIn,
        refresh_token: issued.refreshToken,
        refresh_token_expires_in: 15_897_600,
      });
      return 200;
    }
    sendJson(res, 404, { message: 'Not Found' });
    return 404;
  }

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', url);
    const authenticated = Boolean(req.headers.authorization);
    const log = (status: number) =>
      state.requests.push({ method: req.method ?? 'GET', path: u.pathname, authenticated, status });
    const gitPath = /^\/([^/]+\/[^/]+)\.git(\/.*)$/.exec(u.pathname);
    if (gitPath) {
      res.on('finish', () => log(res.statusCode));
      serveGit(state, req, res, gitPath[1]!, gitPath[2]!, u.search);
      return;
    }
    const handle = u.pathname.startsWith('/api/v3/')
      ? api(req, res, u.pathname.slice('/api/v3'.length), u)
      : u.pathname.startsWith('/login/oauth/')
        ? oauth(req, res, u.pathname, u)
        : Promise.resolve(respond(res, 404, { message: 'Not Found' }));
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
    apiUrl: `${url}/api/v3`,
    async createRepo(fullName, files, repoOptions = {}) {
      await git.createRepo(fullName, files, repoOptions.branch ? { branch: repoOptions.branch } : {});
      state.repos.set(fullName, {
        path: fullName,
        private: repoOptions.private ?? false,
        members: repoOptions.members ?? [],
      });
      return `${url}/${fullName}`;
    },
    async addBranches(fullName, names, from) {
      const bare = state.bare(fullName);
      await createBranches(bare, names, from ?? (await headBranch(bare)) ?? 'main');
    },
    addToken: (token, login, scopes = ['repo']) => state.addToken(token, login, scopes),
    setChecks: (fullName, sha, list) => void checks.set(`${fullName}@${sha}`, list),
    setMergeable(fullName, number, mergeable) {
      const pull = pulls.get(fullName)?.find((p) => p.number === number);
      if (pull) pull.mergeable = mergeable;
    },
    setRateLimitRemaining(remaining) {
      state.remaining.clear();
      state.rateLimit = Math.max(remaining, 0);
    },
    expireAccessTokens: () => state.expireAccessTokens(),
    expireAccessToken: (token) => state.expireAccessToken(token),
    requests: state.requests,
    pulls: (fullName) => pulls.get(fullName) ?? [],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await git.close();
    },
  };
}
