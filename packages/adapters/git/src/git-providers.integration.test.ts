import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GitProviders, ResolvedRepo } from '@volundr/core/integrations/ports/git-providers';
import { startGitHttpServer } from '@volundr/testkit/git-http-server';
import { type GitHubServer, startGitHubServer } from '@volundr/testkit/github-server';
import { type GitLabServer, startGitLabServer } from '@volundr/testkit/gitlab-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitProviders } from './git-providers';

const BRANCHES = Array.from({ length: 300 }, (_, i) => `feature/b-${String(i).padStart(3, '0')}`);
const alice = { token: 'ghp_alice_0123456789' };

describe('GitHub provider against the GitHub test server', () => {
  let github: GitHubServer;
  let providers: GitProviders;
  let repo: ResolvedRepo;

  beforeAll(async () => {
    github = await startGitHubServer();
    github.addToken(alice.token, 'alice', ['repo', 'read:user']);
    await github.createRepo('acme/api', { 'README.md': '# api\n' }, { private: true, members: ['alice'] });
    await github.addBranches('acme/api', BRANCHES);
    await github.addBranches('acme/api', ['volundr/session-1']);
    providers = createGitProviders({
      providers: [
        { name: 'ghe', kind: 'github', webUrl: github.url, apiUrl: github.apiUrl, orgs: ['acme'], allowHttp: true },
      ],
    });
    repo = providers.resolve(`${github.url}/acme/api`);
  });
  afterAll(async () => {
    await github?.close();
  });

  it('lists every branch over several pages (Link rel="next")', async () => {
    const before = github.requests.length;
    const list = await providers.branches(repo, alice);
    expect(list.defaultBranch).toBe('main');
    expect(list.branches).toHaveLength(302);
    expect(new Set(list.branches.map((b) => b.name))).toEqual(new Set(['main', 'volundr/session-1', ...BRANCHES]));
    const pages = github.requests.slice(before).filter((r) => r.path === '/api/v3/repos/acme/api/branches');
    expect(pages.length).toBe(4);
    expect(pages.every((r) => r.authenticated && r.status === 200)).toBe(true);
  });

  it('validates a repository and a branch, and names what is missing', async () => {
    expect(await providers.validate(repo, 'feature/b-007', alice)).toMatchObject({
      provider: 'ghe',
      kind: 'github',
      defaultBranch: 'main',
      branchExists: true,
      cloneUrl: `${github.url}/acme/api.git`,
    });
    expect((await providers.validate(repo, 'nope', alice)).branchExists).toBe(false);
    await expect(
      providers.validate(providers.resolve(`${github.url}/acme/missing`), undefined, alice),
    ).rejects.toMatchObject({
      code: 'REPO_UNREACHABLE',
      message: expect.stringContaining('acme/missing does not exist'),
    });
    // A private repository without a token is GitHub's 404.
    await expect(providers.validate(repo, undefined, { token: null })).rejects.toMatchObject({
      code: 'REPO_UNREACHABLE',
    });
  });

  it('maps a refused token and a spent rate limit to errors a person can act on', async () => {
    await expect(providers.branches(repo, { token: 'ghp_wrong_000000' })).rejects.toMatchObject({
      code: 'GIT_PROVIDER_REFUSED',
      message: expect.stringContaining('Bad credentials'),
    });
    github.setRateLimitRemaining(0);
    try {
      await expect(providers.branches(repo, alice)).rejects.toMatchObject({
        code: 'GIT_PROVIDER_RATE_LIMITED',
        message: expect.stringMatching(/resets at \d{4}-\d\d-\d\dT/),
      });
    } finally {
      github.setRateLimitRemaining(5000);
    }
  });

  it('opens, lists, reads, checks and merges a pull request', async () => {
    const pr = await providers.createPullRequest(
      repo,
      {
        sourceBranch: 'volundr/session-1',
        targetBranch: 'main',
        title: 'Session work',
        description: 'd',
        draft: false,
      },
      alice,
    );
    expect(pr).toMatchObject({
      number: 1,
      state: 'open',
      sourceBranch: 'volundr/session-1',
      targetBranch: 'main',
      author: 'alice',
    });
    await expect(
      providers.createPullRequest(
        repo,
        { sourceBranch: 'volundr/session-1', targetBranch: 'main', title: 'again', description: '', draft: false },
        alice,
      ),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('already exists') });
    expect(
      await providers.listPullRequests(repo, { sourceBranch: 'volundr/session-1', state: 'open' }, alice),
    ).toHaveLength(1);
    expect(
      await providers.listPullRequests(repo, { sourceBranch: 'feature/b-001', state: 'open' }, alice),
    ).toHaveLength(0);

    expect(await providers.ciStatus(repo, 1, alice)).toMatchObject({ state: 'none', checks: [] });
    github.setChecks('acme/api', pr.headSha!, [
      { name: 'build', status: 'completed', conclusion: 'success' },
      { name: 'test', status: 'in_progress', conclusion: null },
    ]);
    expect((await providers.ciStatus(repo, 1, alice)).state).toBe('pending');
    github.setChecks('acme/api', pr.headSha!, [
      { name: 'build', status: 'completed', conclusion: 'success' },
      { name: 'test', status: 'completed', conclusion: 'failure' },
    ]);
    expect(await providers.ciStatus(repo, 1, alice)).toMatchObject({ state: 'failure', sha: pr.headSha });

    github.setMergeable('acme/api', 1, false);
    expect(await providers.mergePullRequest(repo, 1, 'squash', alice)).toMatchObject({ merged: false });
    github.setMergeable('acme/api', 1, true);
    expect(await providers.mergePullRequest(repo, 1, 'squash', alice)).toMatchObject({ merged: true });
    expect((await providers.getPullRequest(repo, 1, alice)).state).toBe('merged');
    await expect(providers.getPullRequest(repo, 99, alice)).rejects.toMatchObject({ code: 'PULL_REQUEST_NOT_FOUND' });
  });

  it('tells who a token belongs to, with its scopes', async () => {
    expect(await providers.account('ghe', alice.token)).toEqual({ account: 'alice', scopes: ['repo', 'read:user'] });
  });
});

describe('GitLab provider against the GitLab test server', () => {
  let gitlab: GitLabServer;
  let providers: GitProviders;
  let repo: ResolvedRepo;
  const bob = { token: 'glpat-bob-0123456789' };

  beforeAll(async () => {
    gitlab = await startGitLabServer();
    gitlab.addToken(bob.token, 'bob');
    await gitlab.createRepo('platform/tools/cli', { 'main.go': 'package main\n' }, { private: true });
    await gitlab.addBranches('platform/tools/cli', [...BRANCHES, 'volundr/s-2']);
    providers = createGitProviders({
      providers: [{ name: 'lab', kind: 'gitlab', webUrl: gitlab.url, orgs: ['platform'], allowHttp: true }],
    });
    repo = providers.resolve(`${gitlab.url}/platform/tools/cli.git`);
  });
  afterAll(async () => {
    await gitlab?.close();
  });

  it('lists every branch of a subgroup project over several pages', async () => {
    const before = gitlab.requests.length;
    const list = await providers.branches(repo, bob);
    expect(list.branches).toHaveLength(302);
    expect(list.defaultBranch).toBe('main');
    const pages = gitlab.requests.slice(before).filter((r) => r.path.endsWith('/repository/branches'));
    expect(pages.length).toBe(4);
  });

  it('validates, refuses a bad token, and reports a spent rate limit', async () => {
    expect(await providers.validate(repo, 'volundr/s-2', bob)).toMatchObject({ kind: 'gitlab', branchExists: true });
    await expect(providers.validate(repo, undefined, { token: 'glpat-nope-00000000' })).rejects.toMatchObject({
      code: 'GIT_PROVIDER_REFUSED',
    });
    await expect(
      providers.validate(providers.resolve(`${gitlab.url}/platform/nothing`), undefined, bob),
    ).rejects.toMatchObject({
      code: 'REPO_UNREACHABLE',
    });
    gitlab.setRateLimitRemaining(0);
    try {
      await expect(providers.validate(repo, undefined, bob)).rejects.toMatchObject({
        code: 'GIT_PROVIDER_RATE_LIMITED',
      });
    } finally {
      gitlab.setRateLimitRemaining(2000);
    }
  });

  it('opens, lists, checks and merges a merge request', async () => {
    const mr = await providers.createPullRequest(
      repo,
      { sourceBranch: 'volundr/s-2', targetBranch: 'main', title: 'Work', description: 'from a session', draft: true },
      bob,
    );
    expect(mr).toMatchObject({ number: 1, state: 'open', draft: true, title: 'Draft: Work', author: 'bob' });
    await expect(
      providers.createPullRequest(
        repo,
        { sourceBranch: 'volundr/s-2', targetBranch: 'main', title: 'x', description: '', draft: false },
        bob,
      ),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('already exists') });
    expect(await providers.listPullRequests(repo, { sourceBranch: 'volundr/s-2', state: 'open' }, bob)).toHaveLength(1);
    expect((await providers.ciStatus(repo, 1, bob)).state).toBe('none');
    gitlab.setPipeline('platform/tools/cli', 1, [
      { name: 'lint', status: 'success' },
      { name: 'flaky', status: 'failed', allowFailure: true },
      { name: 'test', status: 'success' },
    ]);
    expect(await providers.ciStatus(repo, 1, bob)).toMatchObject({
      state: 'success',
      checks: expect.arrayContaining([expect.objectContaining({ name: 'flaky', conclusion: 'neutral' })]),
    });
    expect(await providers.mergePullRequest(repo, 1, 'squash', bob)).toMatchObject({ merged: true });
    expect(await providers.mergePullRequest(repo, 1, 'squash', bob)).toMatchObject({ merged: false });
    expect(await providers.listPullRequests(repo, { sourceBranch: 'volundr/s-2', state: 'closed' }, bob)).toHaveLength(
      1,
    );
    expect(await providers.account('lab', bob.token)).toEqual({ account: 'bob', scopes: [] });
  });
});

describe('OAuth applications (authorization code, refresh)', () => {
  it('GitLab: authorize redirects back with a code; exchange and refresh rotate the tokens; errors name the provider', async () => {
    const gitlab = await startGitLabServer({
      oauthApp: { clientId: 'vol', clientSecret: 'sec', login: 'dana', accessTokenSeconds: 7200 },
    });
    try {
      const providers = createGitProviders(
        {
          providers: [
            {
              name: 'lab',
              kind: 'gitlab',
              webUrl: gitlab.url,
              allowHttp: true,
              oauth: { clientId: 'vol', clientSecretEnv: 'LAB_SECRET' },
            },
          ],
        },
        { env: { LAB_SECRET: 'sec' } },
      );
      const oauth = providers.oauth('lab')!;
      expect(oauth.scopes).toEqual(['api', 'read_user', 'write_repository']);
      const url = oauth.authorizeUrl({ state: 'st-123', redirectUri: 'https://volundr.test/integrations/callback' });
      const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
      expect(back.origin + back.pathname).toBe('https://volundr.test/integrations/callback');
      expect(back.searchParams.get('state')).toBe('st-123');
      const tokens = await oauth.exchange(back.searchParams.get('code')!, 'https://volundr.test/integrations/callback');
      expect(tokens.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 7_000_000);
      expect(await providers.account('lab', tokens.accessToken)).toEqual({ account: 'dana', scopes: [] });
      const refreshed = await oauth.refresh(tokens.refreshToken!);
      expect(refreshed.accessToken).not.toBe(tokens.accessToken);
      await expect(oauth.refresh(tokens.refreshToken!)).rejects.toMatchObject({
        code: 'GIT_PROVIDER_REFUSED',
        message: expect.stringContaining('GitLab (lab) OAuth refused the refresh (invalid_grant'),
      });
      await expect(oauth.exchange('wrong-code', 'https://volundr.test/integrations/callback')).rejects.toMatchObject({
        code: 'GIT_PROVIDER_REFUSED',
      });
      const noSecret = createGitProviders(
        {
          providers: [
            {
              name: 'lab',
              kind: 'gitlab',
              webUrl: gitlab.url,
              allowHttp: true,
              oauth: { clientId: 'vol', clientSecretEnv: 'UNSET_X' },
            },
          ],
        },
        { env: {} },
      );
      await expect(noSecret.oauth('lab')!.exchange('c', 'https://x.test/cb')).rejects.toThrow(/UNSET_X/);
    } finally {
      await gitlab.close();
    }
  });
});

describe('plain git provider (git ls-remote)', () => {
  it('lists the branches of a private repository through a credential helper', async () => {
    const server = await startGitHttpServer({ auth: { username: 'carol', password: 'pw-carol-secret' } });
    try {
      const url = await server.createRepo('team/tool', { a: '1' });
      const bareDir = `${server.root}/team/tool.git`;
      const { execFileSync } = await import('node:child_process');
      const sha = execFileSync('git', ['--git-dir', bareDir, 'rev-parse', 'main']).toString().trim();
      execFileSync('git', ['--git-dir', bareDir, 'update-ref', '--stdin'], {
        input: BRANCHES.map((b) => `create refs/heads/${b} ${sha}\n`).join(''),
      });
      const host = new URL(server.url).host;
      const providers = createGitProviders({
        providers: [{ name: 'box', kind: 'git', hosts: [host], allowHttp: true }],
      });
      const repo = providers.resolve(url);
      const list = await providers.branches(repo, { token: 'pw-carol-secret', username: 'carol' });
      expect(list.branches).toHaveLength(301);
      expect(list.defaultBranch).toBe('main');
      expect(server.authorizations).toContain(`Basic ${Buffer.from('carol:pw-carol-secret').toString('base64')}`);
      await expect(
        providers.validate(repo, undefined, { token: 'wrong-password', username: 'carol' }),
      ).rejects.toMatchObject({
        code: 'REPO_UNREACHABLE',
      });
    } finally {
      await server.close();
    }
  });
});

describe('no redirects, no other hosts', () => {
  it('refuses to follow a redirect from a configured API to another host', async () => {
    const other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"default_branch":"main"}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    let followed = false;
    other.on('request', () => {
      followed = true;
    });
    const redirecting = createServer((req, res) => {
      res.writeHead(302, { location: `${otherUrl}${req.url}` });
      res.end();
    });
    await new Promise<void>((r) => redirecting.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
    try {
      const providers = createGitProviders({
        providers: [{ name: 'gh', kind: 'github', webUrl: url, apiUrl: `${url}/api/v3`, allowHttp: true }],
      });
      await expect(
        providers.validate(providers.resolve(`${url}/a/b`), undefined, { token: null }),
      ).rejects.toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: expect.stringContaining('redirects are not followed'),
      });
      expect(followed).toBe(false);
    } finally {
      redirecting.close();
      other.close();
    }
  });
});
