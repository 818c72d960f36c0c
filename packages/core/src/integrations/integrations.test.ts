import { describe, expect, it } from 'vitest';
import { credentialValues } from '../credentials/credential-values';
import { type CredentialChange, inProcessCredentialChanges } from '../credentials/ports/credential-changes';
import type { CredentialRecord, CredentialRecords } from '../credentials/ports/credential-records';
import type { SecretStore } from '../credentials/ports/secret-store';
import { DomainError } from '../errors';
import { fixedClock } from '../testing/fixed-clock';
import { ownerOnlyAuthorization } from '../testing/owner-only-authorization';
import { aPrincipal } from '../testing/principal-builder';
import { sequentialIds } from '../testing/sequential-ids';
import { authorizeIntegrationOAuth } from './authorize-integration';
import { connectIntegration } from './connect-integration';
import { registryGitRepositories } from './git/registry-git-repositories';
import { integrationTokens } from './integration-tokens';
import type { GitProviders, OAuthClient, ResolvedRepo, TokenSet } from './ports/git-providers';
import type { IntegrationRecord, IntegrationRecords, OAuthStateRecord } from './ports/integration-records';

function memoryCredentials(): CredentialRecords {
  const rows: CredentialRecord[] = [];
  return {
    listForOwner: async (o, f = {}) => rows.filter((r) => r.ownerId === o.ownerId && (!f.type || r.type === f.type)),
    byName: async (ownerId, name) => rows.find((r) => r.ownerId === ownerId && r.name === name) ?? null,
    async insert(r) {
      rows.push(r);
      return r;
    },
    async update(r) {
      rows.splice(
        rows.findIndex((x) => x.id === r.id),
        1,
        r,
      );
      return r;
    },
    delete: async (ownerId, name) => {
      const i = rows.findIndex((r) => r.ownerId === ownerId && r.name === name);
      if (i >= 0) rows.splice(i, 1);
      return i >= 0;
    },
  };
}

function memoryStore(): SecretStore & { data: Map<string, Record<string, string>> } {
  const data = new Map<string, Record<string, string>>();
  return {
    kind: 'memory',
    data,
    put: async (l, v) => void data.set(`${l.ownerId}/${l.name}`, { ...v }),
    get: async (l) => data.get(`${l.ownerId}/${l.name}`) ?? null,
    delete: async (l) => void data.delete(`${l.ownerId}/${l.name}`),
  };
}

/** IntegrationRecords double; `exclusive` records who held the lock, and when. */
function memoryIntegrations(): IntegrationRecords & { locked: string[] } {
  const rows: IntegrationRecord[] = [];
  const states: OAuthStateRecord[] = [];
  const locked: string[] = [];
  let held = false;
  return {
    locked,
    listForOwner: async (o) => rows.filter((r) => r.ownerId === o.ownerId),
    byId: async (id) => rows.find((r) => r.id === id) ?? null,
    byProvider: async (ownerId, provider) => rows.find((r) => r.ownerId === ownerId && r.provider === provider) ?? null,
    byCredential: async (ownerId, name) => rows.find((r) => r.ownerId === ownerId && r.credentialName === name) ?? null,
    async upsert(record) {
      const i = rows.findIndex((r) => r.ownerId === record.ownerId && r.provider === record.provider);
      const saved = i >= 0 ? { ...record, id: rows[i]!.id } : record;
      if (i >= 0) rows[i] = saved;
      else rows.push(saved);
      return saved;
    },
    delete: async (id) =>
      void rows.splice(
        rows.findIndex((r) => r.id === id),
        1,
      ),
    dueForRefresh: async (before) => rows.filter((r) => r.expiresAt && r.expiresAt <= before),
    saveOAuthState: async (s) => void states.push(s),
    async takeOAuthState(hash) {
      const i = states.findIndex((s) => s.stateHash === hash);
      return i >= 0 ? states.splice(i, 1)[0]! : null;
    },
    async exclusive(key, fn) {
      if (held) throw new Error('re-entered the lock');
      held = true;
      locked.push(key);
      try {
        return await fn();
      } finally {
        held = false;
      }
    },
  };
}

const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
let issued = 0;
const oauth: OAuthClient & { refreshed: string[] } = {
  refreshed: [],
  scopes: ['repo'],
  redirectUri: null,
  authorizeUrl: ({ state, redirectUri }) =>
    `https://gh.test/login/oauth/authorize?state=${state}&redirect_uri=${redirectUri}`,
  async exchange(code): Promise<TokenSet> {
    if (code !== 'good-code') throw new DomainError('GIT_PROVIDER_REFUSED', 'bad code');
    return {
      accessToken: `at-${++issued}`,
      refreshToken: `rt-${issued}`,
      expiresAt: new Date(clock.now().getTime() + 3_600_000),
      scopes: ['repo'],
    };
  },
  async refresh(refreshToken) {
    this.refreshed.push(refreshToken);
    return {
      accessToken: `at-${++issued}`,
      refreshToken: `rt-${issued}`,
      expiresAt: new Date(clock.now().getTime() + 3_600_000),
      scopes: [],
    };
  },
};

const repo: ResolvedRepo = {
  repo: 'https://gh.test/acme/app',
  provider: 'gh',
  kind: 'github',
  host: 'gh.test',
  path: 'acme/app',
  cloneUrl: 'https://gh.test/acme/app.git',
  webUrl: 'https://gh.test/acme/app',
};
const unused = () => {
  throw new Error('not used by this test');
};
const providers: GitProviders = {
  list: () => [{ name: 'gh', kind: 'github', host: 'gh.test', webUrl: 'https://gh.test', orgs: [] }],
  resolve: (r) => {
    if (!r.startsWith('https://gh.test/')) throw new DomainError('REPO_NOT_ALLOWED', 'not allowed');
    return { ...repo, repo: r };
  },
  validate: async (_r, branch) => ({
    ...repo,
    kind: 'github',
    defaultBranch: 'main',
    branchExists: branch ? branch === 'main' : null,
  }),
  branches: unused,
  createPullRequest: unused,
  listPullRequests: unused,
  getPullRequest: unused,
  mergePullRequest: unused,
  ciStatus: unused,
  account: async (_p, token) => {
    if (token.startsWith('bad')) throw new DomainError('GIT_PROVIDER_REFUSED', 'refused');
    return { account: 'alice', scopes: ['repo'] };
  },
  oauth: () => oauth,
  gitUsername: () => 'x-access-token',
};

const alice = aPrincipal().withId('alice').build();
const bob = aPrincipal().withId('bob').build();

function world() {
  const integrations = memoryIntegrations();
  const credentials = memoryCredentials();
  const store = memoryStore();
  const changes = inProcessCredentialChanges();
  const published: CredentialChange[] = [];
  changes.subscribe((c) => void published.push(c));
  const authorization = ownerOnlyAuthorization();
  const ids = sequentialIds('i');
  const deps = { integrations, credentials, store, providers, authorization, clock, ids, changes };
  const tokens = integrationTokens({ ...deps, refreshAheadMs: 5 * 60_000 });
  const values = credentialValues({ records: credentials, store, freshen: (r) => tokens.freshen(r) });
  return { ...deps, tokens, values, published };
}

async function oauthConnect(w: ReturnType<typeof world>, who = alice, code = 'good-code') {
  const started = await authorizeIntegrationOAuth({
    ...w,
    random: { base62: (n) => 'S'.repeat(n) },
    defaultRedirectUri: 'https://v.test/cb',
  })(alice, { provider: 'gh' });
  return connectIntegration(w)(who, { method: 'oauth', provider: 'gh', code, state: started.state });
}

describe('integrations', () => {
  it('connect with a token checks it with the provider first and stores it as a credential', async () => {
    const w = world();
    await expect(
      connectIntegration(w)(alice, { method: 'token', provider: 'gh', token: 'bad-token-123' }),
    ).rejects.toMatchObject({
      code: 'GIT_PROVIDER_REFUSED',
    });
    expect(w.store.data.size).toBe(0);
    const refused = connectIntegration(w)(alice, { method: 'token', provider: 'nope', token: 'x'.repeat(10) });
    await expect(refused).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('configured: gh'),
    });
    const connected = await connectIntegration(w)(alice, { method: 'token', provider: 'gh', token: 'ghp_1234567890' });
    expect(connected).toMatchObject({
      provider: 'gh',
      account: 'alice',
      authMethod: 'token',
      credentialName: 'integration-gh',
    });
    expect(JSON.stringify(connected)).not.toContain('ghp_1234567890');
    expect(w.store.data.get('alice/integration-gh')).toEqual({
      access_token: 'ghp_1234567890',
      username: 'x-access-token',
    });
    expect(w.published.map((c) => c.name)).toContain('integration-gh');
  });

  it('finishes OAuth only with the starter’s own, unused state', async () => {
    const w = world();
    await expect(oauthConnect(w, bob)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('state'),
    });
    const connected = await oauthConnect(w);
    expect(connected).toMatchObject({ authMethod: 'oauth', expiresAt: '2026-01-01T01:00:00.000Z' });
    expect(w.store.data.get('alice/integration-gh')).toMatchObject({
      access_token: expect.stringMatching(/^at-/),
      refresh_token: expect.stringMatching(/^rt-/),
    });
  });

  it('refreshes a token when due, under the lock, and publishes after the row is updated', async () => {
    const w = world();
    await oauthConnect(w);
    const owner = { ownerId: 'alice', tenantId: 't-1' };
    const first = await w.values.value(owner, { name: 'integration-gh', key: 'access_token' });
    expect(oauth.refreshed).toEqual([]);
    clock.advance(56 * 60_000);
    let rowAtPublish: IntegrationRecord | null = null;
    w.changes.subscribe(async () => {
      rowAtPublish = await w.integrations.byProvider('alice', 'gh');
    });
    const fresh = await w.values.value(owner, { name: 'integration-gh', key: 'access_token' });
    expect(fresh).not.toBe(first);
    expect(oauth.refreshed).toHaveLength(1);
    expect(w.integrations.locked).toEqual([
      `integration-refresh:${(await w.integrations.byProvider('alice', 'gh'))!.id}`,
    ]);
    expect(rowAtPublish!.refreshedAt).toEqual(clock.now());
    // Just refreshed: not due again, so nothing happens.
    expect(await w.tokens.refreshDue()).toBe(0);
    clock.advance(58 * 60_000);
    expect(await w.tokens.refreshDue()).toBe(1);
  });

  it('a refused refresh is logged by the job and does not stop it', async () => {
    const w = world();
    await oauthConnect(w);
    const warnings: string[] = [];
    const failing = integrationTokens({
      ...w,
      providers: {
        ...providers,
        oauth: () => ({
          ...oauth,
          refresh: async () => Promise.reject(new DomainError('GIT_PROVIDER_REFUSED', 'revoked')),
        }),
      },
      logger: {
        debug() {},
        info() {},
        error() {},
        warn: (_f, m) => void warnings.push(m),
        child() {
          return this;
        },
      },
    });
    clock.advance(2 * 3_600_000);
    expect(await failing.refreshDue()).toBe(0);
    expect(warnings).toEqual(['integration token refresh failed']);
  });
});

describe('the sessions’ git registry over the providers', () => {
  it('clones with the owner’s integration, else a git credential for the host, else anonymously', async () => {
    const w = world();
    const git = registryGitRepositories({ ...w });
    const owner = { ownerId: 'alice', tenantId: 't-1' };
    const request = { repo: 'https://gh.test/acme/app', branch: 'main', path: '.' };
    expect((await git.cloneInfo(request, owner)).credential).toBeNull();
    await w.credentials.insert({
      id: 'c-1',
      ownerId: 'alice',
      tenantId: 't-1',
      name: 'gh-pat',
      type: 'git_credential',
      keys: ['token'],
      metadata: { host: 'gh.test' },
      managedBy: 'user',
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    expect((await git.cloneInfo(request, owner)).credential).toEqual({ name: 'gh-pat', key: 'git' });
    await connectIntegration(w)(alice, { method: 'token', provider: 'gh', token: 'ghp_1234567890' });
    const clone = await git.cloneInfo(request, owner);
    expect(clone).toMatchObject({
      cloneUrl: 'https://gh.test/acme/app.git',
      credential: { name: 'integration-gh', key: 'git' },
    });
  });

  it('refuses a missing branch without a base to start from, and other hosts', async () => {
    const git = registryGitRepositories({ ...world() });
    const owner = { ownerId: 'alice', tenantId: 't-1' };
    await expect(git.validate({ repo: 'https://gh.test/acme/app', branch: 'feature' }, owner)).rejects.toMatchObject({
      code: 'REPO_UNREACHABLE',
      message: expect.stringContaining('give a baseBranch'),
    });
    await git.validate({ repo: 'https://gh.test/acme/app', branch: 'feature', baseBranch: 'main' }, owner);
    await expect(git.validate({ repo: 'https://other.test/x/y', branch: 'main' }, owner)).rejects.toMatchObject({
      code: 'REPO_NOT_ALLOWED',
    });
  });
});
