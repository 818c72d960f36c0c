/**
 * What the GitHub and GitLab test servers share: repositories as real bare git repositories
 * served by git's own smart-HTTP backend (`git-http-server.ts`) behind a token check, a token
 * registry (personal tokens, OAuth tokens with expiry and refresh tokens), a per-token rate
 * limit, and a request log (paths and whether a token was sent; never the token).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type GitHttpServer, startGitHttpServer } from './git-http-server';

const run = promisify(execFile);

export interface TokenInfo {
  login: string;
  scopes: string[];
  /** Epoch ms; null: never expires. */
  expiresAt: number | null;
  kind: 'personal' | 'oauth';
}

export interface ForgeRepoInfo {
  path: string;
  private: boolean;
  /** Logins allowed to see a private repository (empty: every valid token). */
  members: string[];
}

export interface LoggedRequest {
  method: string;
  path: string;
  /** Whether an Authorization / PRIVATE-TOKEN header came with it (its value is never kept). */
  authenticated: boolean;
  status: number;
}

export interface OAuthAppConfig {
  clientId: string;
  clientSecret: string;
  /** Who approves the authorization (the browser step is simulated: authorize redirects at once). */
  login: string;
  scopes?: string[];
  /** Lifetime of issued access tokens (default 3600 s). */
  accessTokenSeconds?: number;
}

export class ForgeState {
  readonly tokens = new Map<string, TokenInfo>();
  readonly refreshTokens = new Map<string, { login: string; scopes: string[] }>();
  readonly codes = new Map<string, { login: string; scopes: string[]; redirectUri: string; expiresAt: number }>();
  readonly repos = new Map<string, ForgeRepoInfo>();
  readonly requests: LoggedRequest[] = [];
  readonly remaining = new Map<string, number>();
  rateLimit = 5000;
  rateLimitResetAt = Math.floor(Date.now() / 1000) + 3600;
  /** Epoch ms, for expiry checks; tests may move it. */
  now: () => number = () => Date.now();

  constructor(
    readonly git: GitHttpServer,
    readonly oauthApp: OAuthAppConfig | null,
  ) {}

  addToken(token: string, login: string, scopes: string[] = [], expiresAt: number | null = null): void {
    this.tokens.set(token, { login, scopes, expiresAt, kind: 'personal' });
  }

  /** The token's owner when it is known and not expired. */
  check(token: string | null): TokenInfo | null {
    if (!token) return null;
    const info = this.tokens.get(token);
    if (!info) return null;
    if (info.expiresAt !== null && info.expiresAt <= this.now()) return null;
    return info;
  }

  /** Every OAuth access token issued so far expires now (refresh tokens stay valid). */
  expireAccessTokens(): void {
    for (const info of this.tokens.values()) if (info.kind === 'oauth') info.expiresAt = this.now() - 1;
  }

  /** One token stops working now (a leaked or superseded token). */
  expireAccessToken(token: string): void {
    const info = this.tokens.get(token);
    if (info) info.expiresAt = this.now() - 1;
  }

  issueOAuth(login: string, scopes: string[]): { accessToken: string; refreshToken: string; expiresIn: number } {
    const expiresIn = this.oauthApp?.accessTokenSeconds ?? 3600;
    const accessToken = `oat_${randomBytes(18).toString('hex')}`;
    const refreshToken = `ort_${randomBytes(18).toString('hex')}`;
    this.tokens.set(accessToken, { login, scopes, expiresAt: this.now() + expiresIn * 1000, kind: 'oauth' });
    this.refreshTokens.set(refreshToken, { login, scopes });
    return { accessToken, refreshToken, expiresIn };
  }

  newCode(login: string, scopes: string[], redirectUri: string): string {
    const code = `code_${randomBytes(12).toString('hex')}`;
    this.codes.set(code, { login, scopes, redirectUri, expiresAt: this.now() + 600_000 });
    return code;
  }

  canSee(repo: ForgeRepoInfo, who: TokenInfo | null): boolean {
    if (!repo.private) return true;
    return who !== null && (repo.members.length === 0 || repo.members.includes(who.login));
  }

  /** Counts one API call against the token's (or the anonymous) budget; false when exhausted. */
  spend(token: string | null): { ok: boolean; remaining: number } {
    const key = token ?? '(anonymous)';
    const left = this.remaining.get(key) ?? this.rateLimit;
    if (left <= 0) return { ok: false, remaining: 0 };
    this.remaining.set(key, left - 1);
    return { ok: true, remaining: left - 1 };
  }

  bare(path: string): string {
    return join(this.git.root, `${path}.git`);
  }
}

export async function startForgeGit(): Promise<GitHttpServer> {
  return startGitHttpServer();
}

const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };

/** Creates `count` branches `<prefix><n>` at the tip of `from` (one `update-ref --stdin`). */
export async function createBranches(bare: string, names: readonly string[], from: string): Promise<void> {
  const { stdout } = await run('git', ['--git-dir', bare, 'rev-parse', `refs/heads/${from}`], { env: gitEnv });
  const sha = stdout.trim();
  const child = execFile('git', ['--git-dir', bare, 'update-ref', '--stdin'], { env: gitEnv });
  const done = new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`update-ref exited ${code}`)))),
  );
  child.stdin?.end(names.map((n) => `create refs/heads/${n} ${sha}\n`).join(''));
  await done;
}

export async function listBranches(bare: string): Promise<{ name: string; sha: string }[]> {
  const { stdout } = await run(
    'git',
    ['--git-dir', bare, 'for-each-ref', '--sort=refname', '--format=%(refname:strip=2) %(objectname)', 'refs/heads'],
    { env: gitEnv, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, sha] = line.split(' ');
      return { name: name!, sha: sha! };
    });
}

export async function headBranch(bare: string): Promise<string | null> {
  try {
    const { stdout } = await run('git', ['--git-dir', bare, 'symbolic-ref', '--short', 'HEAD'], { env: gitEnv });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

export async function readBody(
  req: IncomingMessage,
): Promise<Record<string, string | boolean | number | string[] | undefined>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/json')) {
    try {
      return JSON.parse(text) as Record<string, string>;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** sendJson, returning the status (for handlers that report what they answered). */
export function respond(res: ServerResponse, status: number, body: unknown): number {
  sendJson(res, status, body);
  return status;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** `Link` for page-numbered lists, as GitHub and GitLab send it. */
export function linkHeader(base: URL, page: number, last: number): string {
  const at = (p: number) => {
    const url = new URL(base);
    url.searchParams.set('page', String(p));
    return url.toString();
  };
  const links: string[] = [];
  if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`);
  if (page > 1) links.push(`<${at(1)}>; rel="first"`, `<${at(page - 1)}>; rel="prev"`);
  return links.join(', ');
}

export function paginate<T>(items: readonly T[], url: URL, defaultPer: number, maxPer: number) {
  const per = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? defaultPer) || defaultPer, 1), maxPer);
  const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / per), 1);
  return { slice: items.slice((page - 1) * per, page * per), page, per, last, link: linkHeader(url, page, last) };
}

/**
 * git smart HTTP for `/<path>.git/...`: Basic auth whose password is a valid token that may see
 * the repository (or none for a public one), then proxied to git's http-backend.
 */
export function serveGit(
  state: ForgeState,
  req: IncomingMessage,
  res: ServerResponse,
  repoPath: string,
  rest: string,
  search: string,
): void {
  const repo = state.repos.get(repoPath);
  const basic = /^Basic (.+)$/i.exec(String(req.headers.authorization ?? ''));
  const password = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').slice(1).join(':') : null;
  const who = state.check(password);
  if (!repo || !state.canSee(repo, who)) {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="forge"', 'content-type': 'text/plain' });
    res.end(password ? 'invalid credentials\n' : 'authentication required\n');
    return;
  }
  const target = new URL(state.git.url);
  const { authorization: _authorization, ...headers } = req.headers;
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: `/${repoPath}.git${rest}${search}`,
      headers: { ...headers, host: target.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(error.message);
  });
  req.pipe(upstream);
}
