import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { mintDevToken } from '@volundr/adapter-identity/embedded/dev-token';
import type { Principal } from '@volundr/contracts/principal';
import type { Report } from '@volundr/contracts/reports';
import type { Session } from '@volundr/contracts/sessions';
import { createPersonalAccessToken } from '@volundr/core/identity/create-personal-access-token';
import { cryptoRandomTokens } from '@volundr/core/identity/ports/random-tokens';
import { createTestDatabase, type TestDatabase } from '@volundr/testkit/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../start-api';
import { createContextInner } from '../../trpc/context';
import { createCallerFactory } from '../../trpc/trpc';
import { appRouter } from '../app-router';

const quiet = new Writable({ write: (_c, _e, done) => done() });
const podManagerFixture = fileURLToPath(new URL('./test-fixtures/in-memory-pod-manager.ts', import.meta.url));
const MODEL = 'claude-sonnet-4-5';

const alice: Principal = {
  userId: 'alice',
  email: 'alice@x.test',
  name: 'Alice',
  tenantId: 'acme',
  roles: ['volundr:developer'],
};
const bob: Principal = {
  userId: 'bob',
  email: 'bob@x.test',
  name: 'Bob',
  tenantId: 'acme',
  roles: ['volundr:developer'],
};

/** Waits for `check` to return a value (not undefined), polling every 20 ms, failing after `ms`. */
async function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const seconds = (start: number, s: number) => new Date(start + s * 1000).toISOString();

/** What a broker sends for a short session: start, a created/edited/deleted file, a commit, two turns. */
function sessionReports(start: number): Report[] {
  return [
    {
      kind: 'timeline',
      key: 'session:start',
      occurredAt: seconds(start, 0),
      type: 'session',
      t: 0,
      label: 'Session started',
    },
    { kind: 'activity', key: 'activity:1', occurredAt: seconds(start, 1), state: 'active', metadata: { turnId: 't1' } },
    {
      kind: 'timeline',
      key: 'file:3',
      occurredAt: seconds(start, 5),
      type: 'file',
      t: 5,
      label: 'src/app.ts',
      action: 'created',
      insertions: 20,
      deletions: 0,
    },
    {
      kind: 'timeline',
      key: 'file:4',
      occurredAt: seconds(start, 8),
      type: 'file',
      t: 8,
      label: 'src/app.ts',
      action: 'modified',
      insertions: 4,
      deletions: 2,
    },
    {
      kind: 'timeline',
      key: 'file:5',
      occurredAt: seconds(start, 9),
      type: 'file',
      t: 9,
      label: 'old.md',
      action: 'deleted',
      insertions: 0,
      deletions: 12,
    },
    {
      kind: 'timeline',
      key: 'tool:t1:b1',
      occurredAt: seconds(start, 10),
      type: 'terminal',
      t: 10,
      label: 'git commit -m "Add app"',
      exitCode: 0,
    },
    {
      kind: 'timeline',
      key: `git:${'c0ffee'.padEnd(40, '1')}`,
      occurredAt: seconds(start, 11),
      type: 'git',
      t: 11,
      label: 'Add app',
      hash: 'c0ffee'.padEnd(40, '1'),
      insertions: 24,
      deletions: 14,
    },
    {
      kind: 'usage',
      key: 'usage:t1',
      occurredAt: seconds(start, 12),
      turnId: 't1',
      model: MODEL,
      inputTokens: 1000,
      outputTokens: 200,
      cacheReadTokens: 50,
      cacheWriteTokens: 10,
      costUsd: 0.012,
    },
    {
      kind: 'timeline',
      key: 'message:t1',
      occurredAt: seconds(start, 12),
      type: 'message',
      t: 12,
      label: 'Done: app added',
      tokens: 1200,
      model: MODEL,
    },
    {
      kind: 'usage',
      key: 'usage:t2',
      occurredAt: seconds(start, 400),
      turnId: 't2',
      model: MODEL,
      inputTokens: 500,
      outputTokens: 100,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0.006,
    },
    { kind: 'activity', key: 'activity:9', occurredAt: seconds(start, 401), state: 'idle', metadata: {} },
  ];
}

const finalReport = (start: number): Report => ({
  kind: 'final',
  key: `final:${seconds(start, 500)}`,
  occurredAt: seconds(start, 500),
  summary: 'Added src/app.ts and removed old.md.',
  keyChanges: ['src/app.ts: new app entry', 'old.md removed'],
  unfinishedWork: 'Wire the app into the router.',
  durationSeconds: 500,
});

describe.each(['pglite', 'postgres'] as const)('chronicles through the API on %s', (driver) => {
  let api: StartedApi;
  let dataDir: string;
  let repo: string;
  let pg: TestDatabase | undefined;
  const call = (principal: Principal) =>
    createCallerFactory(appRouter)(createContextInner({ services: api.services, principal }));
  const services = () => {
    const chronicles = api.services.chronicles;
    if (!chronicles) throw new Error('chronicles are not composed');
    return chronicles;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'volundr-chronicles-'));
    repo = join(dataDir, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'README.md'), '# repo\n');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init');
    pg = driver === 'postgres' ? await createTestDatabase() : undefined;
    const configFile = join(dataDir, 'volundr.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        mode: 'local',
        dataDir,
        server: { port: 0 },
        logging: { level: 'warn' },
        ...(pg ? { database: { driver: 'postgres', url: pg.url } } : {}),
        adapters: { podManager: { use: `${podManagerFixture}#inMemoryPodManager` } },
        reconciler: { pollIntervalMs: 50 },
        chronicles: { reportGraceSeconds: 1, completionIntervalSeconds: 0.1, retentionDays: 30 },
      }),
    );
    api = await startApi({ file: configFile, env: {}, logDestination: quiet });
    await api.services.provisionUser?.(alice);
    await api.services.provisionUser?.(bob);
    // Sessions of every test stay running; the default quota of 5 would refuse the later ones.
    await api.services.database.execute(`UPDATE tenants SET max_running_sessions = 100 WHERE id = 'acme'`);
  });
  afterAll(async () => {
    await api?.stop();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let counter = 0;
  const newSession = async (principal = alice): Promise<Session> =>
    api.services.sessions.create(principal, {
      name: `work-${++counter}`,
      model: MODEL,
      source: { type: 'git', repo: `file://${repo}`, branch: 'main' },
    });
  const stateOf = async (id: string) => (await api.services.sessionRuntime.sessionsRepository.byId(id))?.state;
  const waitForState = (id: string, state: string) =>
    eventually(async () => ((await stateOf(id)) === state ? true : undefined), 10_000, `session ${id} ${state}`);

  it('the same batch sent three times counts once', async () => {
    const session = await newSession();
    await waitForState(session.id, 'running');
    // Token-burn buckets count from the minute the session started: start on a whole minute.
    const start = Math.floor(Date.now() / 60_000) * 60_000;
    const batch = { reports: sessionReports(start) };
    const keys = batch.reports.map((r) => r.key);
    for (let i = 0; i < 3; i++) {
      const result = await call(alice).reports.submit({ sessionId: session.id, batch });
      expect(result.accepted.sort()).toEqual([...keys].sort());
    }
    const usage = await call(alice).usage.bySession({ sessionId: session.id });
    expect(usage).toMatchObject({
      turns: 2,
      total: {
        inputTokens: 1500,
        outputTokens: 300,
        cacheReadTokens: 50,
        cacheWriteTokens: 10,
        tokens: 1860,
        costUsd: 0.018,
      },
    });
    const view = await api.services.sessions.byId(alice, { id: session.id });
    expect(view).toMatchObject({ tokensUsed: 1860, costUsd: 0.018, messageCount: 2, activityState: 'idle' });
    const page = await call(alice).timeline.bySession({ sessionId: session.id });
    expect(page.items).toHaveLength(7);

    const [chronicle] = (await call(alice).chronicles.list({})).items.filter((c) => c.sessionId === session.id);
    expect(chronicle).toMatchObject({
      status: 'draft',
      tokensUsed: 1860,
      project: 'repo',
      branch: 'main',
      model: MODEL,
    });
    const detail = await call(alice).chronicles.byId({ id: chronicle!.id, bucketSeconds: 300 });
    expect(detail.files).toEqual([
      expect.objectContaining({ path: 'old.md', status: 'deleted', insertions: 0, deletions: 12 }),
      expect.objectContaining({ path: 'src/app.ts', status: 'new', insertions: 24, deletions: 2, changes: 2 }),
    ]);
    expect(detail.fileTotals).toEqual({ files: 2, insertions: 24, deletions: 14 });
    expect(detail.commits).toEqual([
      expect.objectContaining({ hash: 'c0ffee'.padEnd(40, '1'), shortHash: 'c0ffee1', message: 'Add app' }),
    ]);
    expect(detail.tokenBurn.buckets.map((b) => [b.t, b.total.tokens])).toEqual([
      [0, 1260],
      [300, 600],
    ]);
    expect(detail.tokenBurn.buckets.reduce((n, b) => n + b.total.tokens, 0)).toBe(usage.total.tokens);
    const perMinute = await call(alice).usage.tokens({ sessionId: session.id, bucketSeconds: 60 });
    expect(perMinute.buckets.map((b) => b.t)).toEqual([0, 360]);
  });

  it("a session's broker token reports for its own session only, and can do nothing else", async () => {
    const session = await newSession();
    const other = await newSession();
    const { token } = await createPersonalAccessToken({
      tokens: api.services.accounts.tokens,
      authorization: api.services.authorization,
      ids: api.services.ids,
      clock: api.services.clock,
      random: cryptoRandomTokens,
    })(alice, { name: `broker-${session.id}` }, { sessionId: session.id });
    const post = (sessionId: string, body: unknown) =>
      fetch(`http://127.0.0.1:${api.port}/api/v1/sessions/${sessionId}/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const batch = { reports: sessionReports(Date.now()).slice(0, 3) };
    const own = await post(session.id, batch);
    expect(own.status).toBe(200);
    expect(((await own.json()) as { accepted: string[] }).accepted).toHaveLength(3);
    expect((await post(other.id, batch)).status).toBe(404);
    const invalid = await post(session.id, { reports: [{ kind: 'usage', key: 'x' }] });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');

    const scoped: Principal = { ...alice, sessionScope: session.id };
    expect((await call(scoped).chronicles.list({})).items).toEqual([]);
    const chronicle = (await call(alice).chronicles.list({})).items.find((c) => c.sessionId === session.id)!;
    await expect(call(scoped).chronicles.byId({ id: chronicle.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call(scoped).chronicles.reforge({ id: chronicle.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a second user gets 404 or 403 from every procedure', async () => {
    const session = await newSession();
    await call(alice).reports.submit({ sessionId: session.id, batch: { reports: sessionReports(Date.now()) } });
    const chronicle = (await call(alice).chronicles.list({})).items.find((c) => c.sessionId === session.id)!;
    const id = chronicle.id;
    const sessionId = session.id;
    const refusals: Array<[string, () => Promise<unknown>]> = [
      ['reports.submit', () => call(bob).reports.submit({ sessionId, batch: { reports: sessionReports(Date.now()) } })],
      ['chronicles.byId', () => call(bob).chronicles.byId({ id })],
      ['chronicles.update', () => call(bob).chronicles.update({ id, tags: ['x'] })],
      ['chronicles.delete', () => call(bob).chronicles.delete({ id })],
      ['chronicles.timeline', () => call(bob).chronicles.timeline({ id })],
      ['chronicles.reforge', () => call(bob).chronicles.reforge({ id })],
      ['chronicles.chain', () => call(bob).chronicles.chain({ id })],
      ['usage.bySession', () => call(bob).usage.bySession({ sessionId })],
      ['usage.tokens', () => call(bob).usage.tokens({ sessionId })],
      ['timeline.bySession', () => call(bob).timeline.bySession({ sessionId })],
    ];
    for (const [name, attempt] of refusals) {
      const error = await attempt().then(
        () => null,
        (e: { code?: string }) => e,
      );
      expect([name, error?.code && ['NOT_FOUND', 'FORBIDDEN'].includes(error.code)]).toEqual([name, true]);
    }
    expect((await call(bob).chronicles.list({})).items.some((c) => c.id === id)).toBe(false);
    // Nothing changed for alice.
    expect((await call(alice).chronicles.byId({ id })).chronicle.tags).toEqual([]);
  });

  it('a final report enriches the chronicle; after the session stops it is complete', async () => {
    const session = await newSession();
    await waitForState(session.id, 'running');
    const start = Date.now();
    await call(alice).reports.submit({ sessionId: session.id, batch: { reports: sessionReports(start) } });
    await call(alice).reports.submit({ sessionId: session.id, batch: { reports: [finalReport(start)] } });
    const [draft] = (await call(alice).chronicles.list({})).items.filter((c) => c.sessionId === session.id);
    expect(draft).toMatchObject({
      status: 'draft',
      summary: 'Added src/app.ts and removed old.md.',
      keyChanges: ['src/app.ts: new app entry', 'old.md removed'],
      unfinishedWork: 'Wire the app into the router.',
      durationSeconds: 500,
      partial: false,
    });
    await api.services.sessions.stop(alice, { id: session.id });
    await waitForState(session.id, 'stopped');
    const done = await eventually(async () => {
      const { chronicle } = await call(alice).chronicles.byId({ id: draft!.id });
      return chronicle.status === 'complete' ? chronicle : undefined;
    });
    expect(done).toMatchObject({ partial: false, summary: 'Added src/app.ts and removed old.md.' });
    expect(done.completedAt).not.toBeNull();
  });

  it('without a final report the chronicle completes after the grace period, partial, from its timeline', async () => {
    const session = await newSession();
    await waitForState(session.id, 'running');
    await call(alice).reports.submit({ sessionId: session.id, batch: { reports: sessionReports(Date.now()) } });
    await api.services.sessions.stop(alice, { id: session.id });
    await waitForState(session.id, 'stopped');
    const [draft] = (await call(alice).chronicles.list({})).items.filter((c) => c.sessionId === session.id);
    expect(draft?.status).toBe('draft');
    const done = await eventually(async () => {
      const { chronicle } = await call(alice).chronicles.byId({ id: draft!.id });
      return chronicle.status === 'complete' ? chronicle : undefined;
    });
    expect(done.partial).toBe(true);
    expect(done.summary).toContain('2 files changed (+24 −14), 1 commit');
    expect(done.keyChanges).toEqual(['commit c0ffee1: Add app', 'deleted old.md (+0 −12)', 'new src/app.ts (+24 −2)']);
    // The span of the timeline: its last event is at t = 12 s.
    expect(done.durationSeconds).toBe(12);
  });

  it('reforge creates and starts a session with the parent linked; a chain of three comes back in order', async () => {
    const first = await newSession();
    const start = Date.now();
    await call(alice).reports.submit({
      sessionId: first.id,
      batch: { reports: [...sessionReports(start), finalReport(start)] },
    });
    const a = (await call(alice).chronicles.list({})).items.find((c) => c.sessionId === first.id)!;
    await call(alice).chronicles.update({ id: a.id, tags: ['reforge-test'] });

    const second = await call(alice).chronicles.reforge({ id: a.id });
    expect(second).toMatchObject({
      name: `${first.name}-reforged`,
      model: MODEL,
      source: { type: 'git', repo: `file://${repo}`, branch: 'main' },
      parentChronicleId: a.id,
    });
    expect(['starting', 'provisioning', 'running']).toContain(second.state);
    await waitForState(second.id, 'running');
    const record = await api.services.sessionRuntime.sessionsRepository.byId(second.id);
    expect(record?.launch.initialPrompt).toContain('Added src/app.ts and removed old.md.');
    expect(record?.launch.initialPrompt).toContain('Wire the app into the router.');

    const b = (await call(alice).chronicles.list({})).items.find((c) => c.sessionId === second.id)!;
    expect(b).toMatchObject({ status: 'draft', parentChronicleId: a.id });
    const third = await call(alice).chronicles.reforge({ id: b.id });
    expect(third.name).toBe(`${first.name}-reforged-2`);
    const c = (await call(alice).chronicles.list({})).items.find((x) => x.sessionId === third.id)!;

    for (const id of [a.id, b.id, c.id]) {
      expect((await call(alice).chronicles.chain({ id })).items.map((x) => x.id)).toEqual([a.id, b.id, c.id]);
    }
    expect((await call(alice).chronicles.list({ tags: ['reforge-test'] })).items.map((x) => x.id)).toEqual([a.id]);
  });

  it('REST: chronicle list filters, detail, timeline by type, update, delete', async () => {
    const session = await newSession();
    const start = Date.now();
    await call(alice).reports.submit({ sessionId: session.id, batch: { reports: sessionReports(start) } });
    const token = await mintDevToken({ dataDir, user: 'alice', issuer: api.issuer!, tenant: alice.tenantId });
    const get = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`http://127.0.0.1:${api.port}/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> };
    };
    const me = (await get('/me')).body as { principal: Principal };
    expect(me.principal).toMatchObject({ userId: alice.userId, tenantId: alice.tenantId });
    const list = await get(`/chronicles?repo=repo&model=${MODEL}&status=draft`);
    expect(list.status).toBe(200);
    const chronicle = (list.body.items as Array<{ id: string; sessionId: string }>).find(
      (c) => c.sessionId === session.id,
    )!;
    expect(chronicle).toBeDefined();
    const timeline = await get(`/chronicles/${chronicle.id}/timeline?types=file,git&limit=2`);
    expect((timeline.body.items as Array<{ type: string }>).map((e) => e.type)).toEqual(['file', 'file']);
    expect(timeline.body.nextCursor).toEqual(expect.any(String));
    expect((await get(`/chronicles/${chronicle.id}?bucketSeconds=59`)).status).toBe(422);
    expect((await get(`/sessions/${session.id}/tokens?bucketSeconds=3600`)).body).toMatchObject({
      bucketSeconds: 3600,
    });
    const patched = await get(`/chronicles/${chronicle.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ tags: ['rest'] }),
    });
    expect(patched.body).toMatchObject({ tags: ['rest'] });
    expect((await get(`/chronicles/${chronicle.id}`, { method: 'DELETE' })).body).toEqual({
      id: chronicle.id,
      deleted: true,
    });
    expect((await get(`/chronicles/${chronicle.id}`)).status).toBe(404);
  });

  it('retention removes chronicles untouched for the configured days', async () => {
    const session = await newSession();
    await call(alice).reports.submit({ sessionId: session.id, batch: { reports: sessionReports(Date.now()) } });
    const chronicle = (await call(alice).chronicles.list({})).items.find((c) => c.sessionId === session.id)!;
    const old = new Date(Date.now() - 31 * 24 * 3600 * 1000).toISOString();
    await api.services.database.execute('UPDATE chronicles SET updated_at = $1 WHERE id = $2', [old, chronicle.id]);
    const purge = services().purgeExpired;
    expect(purge).not.toBeNull();
    const removed = await purge!();
    expect(removed.chronicles).toBeGreaterThanOrEqual(1);
    await expect(call(alice).chronicles.byId({ id: chronicle.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
