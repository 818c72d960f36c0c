/**
 * Credentials, integrations and git procedures over HTTP, against the GitHub and GitLab test
 * servers: metadata only ever leaves the API, OAuth connects and refreshes, branch listing is
 * complete beyond 250, pull requests go through the session, bad repositories are refused with
 * a reason, and a second user is refused every procedure of these areas on the first user's
 * resources (the table must name every procedure: a new one without a check fails here).
 */
import { type GitHubServer, startGitHubServer } from '@volundr/testkit/github-server';
import { type GitLabServer, startGitLabServer } from '@volundr/testkit/gitlab-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPrincipal, type SessionTestApi, startSessionTestApi } from '../../test/session-test-api';
import { appRouter } from '../app-router';

const BRANCHES = Array.from({ length: 300 }, (_, i) => `topic/${String(i).padStart(3, '0')}`);
const CANARY = `canary-${Math.random().toString(36).slice(2)}`;
const CLIENT_SECRET_ENV = 'VOLUNDR_TEST_GH_CLIENT_SECRET';

interface Answer {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
  text: string;
}

describe('git, credentials and integrations over HTTP', () => {
  let github: GitHubServer;
  let gitlab: GitLabServer;
  let t: SessionTestApi;
  let alice: string;
  let bob: string;
  const responses: string[] = [];

  const call = async (token: string, method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${t.base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    responses.push(text);
    return { status: response.status, body: text ? JSON.parse(text) : {}, text };
  };

  beforeAll(async () => {
    github = await startGitHubServer({
      oauthApp: { clientId: 'volundr-app', clientSecret: 'gh-app-secret', login: 'alice' },
    });
    gitlab = await startGitLabServer();
    github.addToken('ghp_alice_personal_token', 'alice', ['repo']);
    gitlab.addToken('glpat-alice-personal', 'alice');
    await github.createRepo('acme/app', { 'README.md': '# app\n' }, { private: true, members: ['alice'] });
    await github.addBranches('acme/app', [...BRANCHES, 'volundr/work']);
    await gitlab.createRepo('platform/svc', { 'main.go': 'package main\n' }, { private: true });
    process.env[CLIENT_SECRET_ENV] = 'gh-app-secret';
    t = await startSessionTestApi({
      driver: 'pglite',
      config: {
        adapters: {
          git: {
            use: '@volundr/adapter-git/git-registry#gitRegistry',
            providers: [
              {
                name: 'github',
                kind: 'github',
                webUrl: github.url,
                apiUrl: github.apiUrl,
                allowHttp: true,
                orgs: ['acme'],
                oauth: { clientId: 'volundr-app', clientSecretEnv: CLIENT_SECRET_ENV },
              },
              { name: 'gitlab', kind: 'gitlab', webUrl: gitlab.url, allowHttp: true, orgs: ['platform'] },
            ],
          },
        },
      },
    });
    alice = await t.token('alice');
    bob = await t.token('bob');
    await t.caller(aPrincipal('alice'));
    await t.caller(aPrincipal('bob'));
  });
  afterAll(async () => {
    await t?.stop();
    await github?.close();
    await gitlab?.close();
    delete process.env[CLIENT_SECRET_ENV];
  });

  it('stores credentials and only ever answers their metadata', async () => {
    const created = await call(alice, 'POST', '/credentials', {
      name: 'anthropic',
      type: 'api_key',
      data: { ANTHROPIC_API_KEY: CANARY },
      metadata: { note: 'personal' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'anthropic',
      type: 'api_key',
      keys: ['ANTHROPIC_API_KEY'],
      managedBy: 'user',
    });
    expect(Object.keys(created.body).sort()).toEqual([
      'createdAt',
      'id',
      'keys',
      'managedBy',
      'metadata',
      'name',
      'ownerId',
      'type',
      'updatedAt',
    ]);
    expect(
      (await call(alice, 'POST', '/credentials', { name: 'anthropic', type: 'api_key', data: { K: 'v' } })).body.error
        ?.code,
    ).toBe('CREDENTIAL_NAME_TAKEN');
    const noHost = await call(alice, 'POST', '/credentials', {
      name: 'gh',
      type: 'git_credential',
      data: { token: 'x' },
    });
    expect(noHost.status).toBe(422);
    expect(noHost.body.error?.message).toContain('metadata.host');
    const reserved = await call(alice, 'POST', '/credentials', {
      name: 'integration-x',
      type: 'generic',
      data: { a: 'b' },
    });
    expect(reserved.body.error?.message).toContain('belong to integrations');
    const list = await call(alice, 'GET', '/credentials');
    expect((list.body as unknown as { name: string }[]).map((c) => c.name)).toEqual(['anthropic']);
    expect((await call(bob, 'GET', '/credentials')).body).toEqual([]);
    expect((await call(bob, 'DELETE', '/credentials/anthropic')).status).toBe(404);
    // The value went to the local encrypted store, and nowhere in what the API answered.
    expect(
      await t.api.services.gitCredentials.store.get({ ownerId: 'alice', tenantId: 'default', name: 'anthropic' }),
    ).toEqual({
      ANTHROPIC_API_KEY: CANARY,
    });
  });

  it('lists every branch of a repository with more than 250 (GitHub pagination), with the owner’s token', async () => {
    const refused = await call(alice, 'GET', `/git/branches?repo=${encodeURIComponent(`${github.url}/acme/app`)}`);
    expect(refused.body.error?.code).toBe('REPO_UNREACHABLE');
    const connected = await call(alice, 'POST', '/integrations', {
      method: 'token',
      provider: 'github',
      token: 'ghp_alice_personal_token',
    });
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({
      provider: 'github',
      account: 'alice',
      authMethod: 'token',
      credentialName: 'integration-github',
    });
    const answer = await call(alice, 'GET', `/git/branches?repo=${encodeURIComponent(`${github.url}/acme/app`)}`);
    expect(answer.status).toBe(200);
    const names = (answer.body.branches as { name: string }[]).map((b) => b.name);
    expect(names).toHaveLength(302);
    expect(new Set(names)).toEqual(new Set(['main', 'volundr/work', ...BRANCHES]));
    const validated = await call(
      alice,
      'GET',
      `/git/validate?repo=${encodeURIComponent(`${github.url}/acme/app`)}&branch=topic/299`,
    );
    expect(validated.body).toMatchObject({ provider: 'github', defaultBranch: 'main', branchExists: true });
  });

  it.each([
    [`${'file'}:///etc`, 'file:// repositories are turned off', null],
    ['https://evil.example/acme/app', 'evil.example is not a configured git host', null],
    ['--upload-pack=touch /tmp/x', 'would be read as a git option', 'a repository URL without spaces'],
    ['--upload-pack=touch', 'would be read as a git option', null],
    ['https://github.com/acme/app --upload-pack=x', 'spaces', 'a repository URL without spaces'],
    ['GITHUB/acme/../../etc/passwd', '".." and "." are not allowed', null],
    ['GITHUB/acme/-oProxyCommand=x', 'starts with "-"', null],
    ['https://user:pw@127.0.0.1/acme/app', 'must not carry credentials', null],
  ])('refuses %s with a clear reason (validate and session create)', async (repo, why, schemaWhy) => {
    const input = repo.replace('GITHUB', github.url);
    const validated = await call(alice, 'GET', `/git/validate?repo=${encodeURIComponent(input)}`);
    expect(validated.status).toBe(400);
    expect(validated.body.error).toMatchObject({ code: 'REPO_NOT_ALLOWED', message: expect.stringContaining(why) });
    const created = await call(alice, 'POST', '/sessions', {
      name: 'bad-repo',
      model: 'claude-sonnet-4-5',
      source: { type: 'git', repo: input, branch: 'main' },
    });
    // Spaces never pass the request schema (422); the rest is the git registry's refusal (400).
    expect(created.status).toBe(schemaWhy ? 422 : 400);
    expect(created.body.error?.message).toContain(schemaWhy ?? why);
  });

  it('connects with OAuth (authorization code), refuses a reused or foreign state, and refreshes the token', async () => {
    const started = await call(alice, 'POST', '/integrations/oauth/github/authorize');
    expect(started.status).toBe(200);
    const url = new URL(started.body.url as string);
    expect(url.origin).toBe(github.url);
    expect(url.searchParams.get('redirect_uri')).toBe(`${t.api.publicUrl}/integrations/callback`);
    const redirect = await fetch(url, { redirect: 'manual' });
    const back = new URL(redirect.headers.get('location')!);
    const code = back.searchParams.get('code')!;
    const state = back.searchParams.get('state')!;
    expect(state).toBe(started.body.state);
    // Bob cannot finish alice's authorization.
    expect(
      (await call(bob, 'POST', '/integrations', { method: 'oauth', provider: 'github', code, state })).body.error
        ?.message,
    ).toContain('state');
    const again = await call(alice, 'POST', '/integrations/oauth/github/authorize');
    const second = new URL((await fetch(again.body.url as string, { redirect: 'manual' })).headers.get('location')!);
    const connected = await call(alice, 'POST', '/integrations', {
      method: 'oauth',
      provider: 'github',
      code: second.searchParams.get('code'),
      state: second.searchParams.get('state'),
    });
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({ authMethod: 'oauth', account: 'alice', expiresAt: expect.any(String) });
    const reused = await call(alice, 'POST', '/integrations', {
      method: 'oauth',
      provider: 'github',
      code: second.searchParams.get('code'),
      state: second.searchParams.get('state'),
    });
    expect(reused.body.error?.message).toContain('already used');

    const services = t.api.services.gitCredentials;
    const owner = { ownerId: 'alice', tenantId: 'default', name: 'integration-github' };
    const before = (await services.store.get(owner))!;
    const record = (await services.integrationRecords.byProvider('alice', 'github'))!;
    const refreshed = await services.tokens.refresh(record, { force: true });
    const after = (await services.store.get(owner))!;
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(refreshed.refreshedAt).not.toBeNull();
    github.expireAccessToken(before.access_token!);
    const tested = await call(alice, 'POST', `/integrations/${record.id}/test`);
    expect(tested.body).toMatchObject({ ok: true, account: 'alice' });
    expect(tested.text).not.toContain(after.access_token);
  });

  it('opens, checks and merges a pull request from a session, and refuses bob', async () => {
    const session = await call(alice, 'POST', '/sessions', {
      name: 'pr-work',
      model: 'claude-sonnet-4-5',
      source: { type: 'git', repo: `${github.url}/acme/app`, branch: 'volundr/work', baseBranch: 'main' },
      start: false,
    });
    expect(session.status).toBe(201);
    const id = session.body.id as string;
    const pr = await call(alice, 'POST', `/sessions/${id}/pull-requests`, { title: 'Work from the session' });
    expect(pr.status).toBe(201);
    expect(pr.body).toMatchObject({ number: 1, sourceBranch: 'volundr/work', targetBranch: 'main', state: 'open' });
    expect((await call(alice, 'GET', `/sessions/${id}/pull-requests`)).body).toHaveLength(1);
    github.setChecks('acme/app', pr.body.headSha as string, [
      { name: 'ci', status: 'completed', conclusion: 'success' },
    ]);
    expect((await call(alice, 'GET', `/sessions/${id}/pull-requests/1/ci`)).body).toMatchObject({ state: 'success' });
    expect((await call(bob, 'POST', `/sessions/${id}/pull-requests/1/merge`, { method: 'squash' })).status).toBe(404);
    expect(
      (await call(alice, 'POST', `/sessions/${id}/pull-requests/1/merge`, { method: 'squash' })).body,
    ).toMatchObject({ merged: true });
    expect((await call(alice, 'GET', `/sessions/${id}/pull-requests/1`)).body).toMatchObject({ state: 'merged' });
    expect((await call(alice, 'GET', `/sessions/${id}/pull-requests/abc`)).status).toBe(422);
  });

  it('connects GitLab with a token; a refused token is a clear error', async () => {
    const bad = await call(alice, 'POST', '/integrations', {
      method: 'token',
      provider: 'gitlab',
      token: 'glpat-wrong-000',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'GIT_PROVIDER_REFUSED' });
    const good = await call(alice, 'POST', '/integrations', {
      method: 'token',
      provider: 'gitlab',
      token: 'glpat-alice-personal',
    });
    expect(good.body).toMatchObject({ kind: 'gitlab', account: 'alice' });
    const catalog = await call(alice, 'GET', '/integrations/catalog');
    expect(catalog.body).toEqual([
      expect.objectContaining({ provider: 'github', authMethods: ['token', 'oauth'] }),
      expect.objectContaining({ provider: 'gitlab', authMethods: ['token'] }),
    ]);
    const branches = await call(alice, 'GET', `/git/branches?repo=${encodeURIComponent(`${gitlab.url}/platform/svc`)}`);
    expect(branches.body).toMatchObject({ provider: 'gitlab', defaultBranch: 'main' });
  });

  it('never answered a credential value or token', () => {
    const all = responses.join('\n');
    expect(all).not.toContain(CANARY);
    expect(all).not.toContain('ghp_alice_personal_token');
    expect(all).not.toContain('glpat-alice-personal');
    expect(all).not.toMatch(/oat_[0-9a-f]{20}/);
  });

  describe('a second user is refused every procedure of these areas', () => {
    type Check = () => Promise<void>;
    const refused =
      (path: string, input: () => unknown): Check =>
      async () => {
        const caller = await t.caller(aPrincipal('bob'));
        const parts = path.split('.');
        let node = caller as unknown as Record<string, unknown>;
        for (const part of parts) node = node[part] as Record<string, unknown>;
        const error = await (node as unknown as (i: unknown) => Promise<unknown>)(input()).then(
          () => null,
          (e: { code?: string }) => e,
        );
        expect(error, `${path} was not refused`).not.toBeNull();
        expect(['FORBIDDEN', 'NOT_FOUND'], path).toContain(error?.code);
      };
    const own =
      (path: string, input: unknown, check: (data: unknown) => void): Check =>
      async () => {
        const caller = await t.caller(aPrincipal('bob'));
        let node = caller as unknown as Record<string, unknown>;
        for (const part of path.split('.')) node = node[part] as Record<string, unknown>;
        check(await (node as unknown as (i: unknown) => Promise<unknown>)(input));
      };
    let aliceSession = '';
    let aliceIntegration = '';
    beforeAll(async () => {
      aliceSession = (
        (
          await call(alice, 'POST', '/sessions', {
            name: 'alices-pr',
            model: 'claude-sonnet-4-5',
            source: { type: 'git', repo: `${github.url}/acme/app`, branch: 'topic/001' },
            start: false,
          })
        ).body as { id: string }
      ).id;
      aliceIntegration = ((await call(alice, 'GET', '/integrations')).body as unknown as { id: string }[])[0]!.id;
    });
    const CHECKS: Record<string, Check> = {
      'credentials.delete': refused('credentials.delete', () => ({ name: 'anthropic' })),
      'credentials.list': own('credentials.list', {}, (data) => expect(data).toEqual([])),
      // Creating is about bob's own credential; alice's of the same name is untouched.
      'credentials.create': own(
        'credentials.create',
        { name: 'anthropic', type: 'generic', data: { a: 'b' } },
        (data) => expect(data).toMatchObject({ ownerId: 'bob' }),
      ),
      'integrations.disconnect': refused('integrations.disconnect', () => ({ id: aliceIntegration })),
      'integrations.test': refused('integrations.test', () => ({ id: aliceIntegration })),
      'integrations.list': own('integrations.list', {}, (data) => expect(data).toEqual([])),
      'integrations.catalog': own('integrations.catalog', {}, (data) => expect(data).toHaveLength(2)),
      'integrations.authorize': own('integrations.authorize', { provider: 'github' }, (data) =>
        expect(data).toMatchObject({ url: expect.any(String) }),
      ),
      // Connecting is about bob's own integration: a token of alice's he does not have is refused by the provider.
      'integrations.connect': async () => {
        const answer = await call(bob, 'POST', '/integrations', {
          method: 'token',
          provider: 'github',
          token: 'ghp_guessed_00000',
        });
        expect(answer.body.error?.code).toBe('GIT_PROVIDER_REFUSED');
      },
      'git.pullRequests.create': refused('git.pullRequests.create', () => ({ sessionId: aliceSession })),
      'git.pullRequests.list': refused('git.pullRequests.list', () => ({ sessionId: aliceSession })),
      'git.pullRequests.get': refused('git.pullRequests.get', () => ({ sessionId: aliceSession, number: 1 })),
      'git.pullRequests.merge': refused('git.pullRequests.merge', () => ({ sessionId: aliceSession, number: 1 })),
      'git.pullRequests.ci': refused('git.pullRequests.ci', () => ({ sessionId: aliceSession, number: 1 })),
      // Bob has no access of his own to alice's private repository: GitHub answers 404 to him.
      'git.branches': async () => {
        const answer = await call(bob, 'GET', `/git/branches?repo=${encodeURIComponent(`${github.url}/acme/app`)}`);
        expect(answer.body.error?.code).toBe('REPO_UNREACHABLE');
      },
      'git.validate': async () => {
        const answer = await call(bob, 'GET', `/git/validate?repo=${encodeURIComponent(`${github.url}/acme/app`)}`);
        expect(answer.body.error?.code).toBe('REPO_UNREACHABLE');
      },
      'git.providers': own('git.providers', {}, (data) => expect(data).toHaveLength(2)),
    };
    const AREAS = ['git.', 'credentials.', 'integrations.'];
    const procedures = Object.keys(appRouter._def.procedures).filter((p) => AREAS.some((a) => p.startsWith(a)));

    it('has a check for every procedure', () => {
      expect(procedures.filter((p) => !CHECKS[p])).toEqual([]);
    });
    for (const [name, check] of Object.entries(CHECKS)) it(name, check);
  });
});
