import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintDevToken } from '@volundr/adapter-identity/embedded/dev-token';
import { type Database, openDatabase } from '@volundr/db/client';
import { readFilePodRecords, startsPerSession } from '@volundr/testkit/file-pod-manager';
import { createTestDatabase, type TestDatabase } from '@volundr/testkit/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiProcess, startApiProcess } from './test/api-process';
import { eventually, FILE_POD_MANAGER } from './test/session-test-api';

/**
 * The reconciler across real API processes (the bundled `dist/api.mjs`) on one PostgreSQL:
 * SIGKILL in the middle of provisioning and a restart, and two processes sharing the work.
 * The file pod manager records every start, so "started twice" would show in its file.
 */

const PUBLIC_URL = 'http://volundr.test';
const ISSUER = `${PUBLIC_URL}/oidc`;

interface Fixture {
  pg: TestDatabase;
  db: Database;
  dirs: string[];
  processes: ApiProcess[];
  podFile: string;
}

let fixture: Fixture | null = null;

async function setUp(): Promise<Fixture> {
  const pg = await createTestDatabase();
  const root = mkdtempSync(join(tmpdir(), 'volundr-reconcile-'));
  fixture = {
    pg,
    db: await openDatabase({ driver: 'postgres', url: pg.url, max: 2 }),
    dirs: [root],
    processes: [],
    podFile: join(root, 'pods.jsonl'),
  };
  return fixture;
}

afterEach(async () => {
  if (!fixture) return;
  for (const p of fixture.processes) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  await fixture.db.close();
  await fixture.pg.drop();
  for (const dir of fixture.dirs) rmSync(dir, { recursive: true, force: true });
  fixture = null;
});

const configFor = (f: Fixture, reconciler: Record<string, unknown>, readyAfterMs: number) => ({
  server: { publicUrl: PUBLIC_URL },
  logging: { level: 'warn' },
  reconciler,
  adapters: { podManager: { use: FILE_POD_MANAGER, file: f.podFile, readyAfterMs } },
});

async function launch(f: Fixture, dataDir: string, config: Record<string, unknown>): Promise<ApiProcess> {
  const api = await startApiProcess({ dataDir, config, env: { DATABASE_URL: f.pg.url } });
  f.processes.push(api);
  return api;
}

/** Creates `count` sessions over REST as `user`, a few at a time; returns their ids. */
async function createSessions(api: ApiProcess, token: string, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) =>
      fetch(`${api.base}/api/v1/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `${prefix}-${i + j}`, model: 'claude-sonnet-4-5', source: { type: 'blank' } }),
      }).then(async (r) => {
        const body = (await r.json()) as { id?: string };
        if (r.status !== 201 || !body.id) throw new Error(`create answered ${r.status}: ${JSON.stringify(body)}`);
        return body.id;
      }),
    );
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}

async function states(db: Database, ids: string[]): Promise<Map<string, { state: string; reason: string | null }>> {
  const rows = await db.execute<{ id: string; state: string; state_reason: string | null }>(
    `SELECT id, state, state_reason FROM sessions WHERE id = ANY($1::text[])`,
    [`{${ids.join(',')}}`],
  );
  return new Map(rows.map((r) => [r.id, { state: r.state, reason: r.state_reason }]));
}

/** Provisions the user (first request) and lifts the tenant's running-session quota. */
async function prepareUser(f: Fixture, api: ApiProcess, dataDir: string, user: string): Promise<string> {
  const token = await mintDevToken({ dataDir, user, issuer: ISSUER });
  const me = await fetch(`${api.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(me.status).toBe(200);
  await f.db.execute(`UPDATE tenants SET max_running_sessions = 1000`);
  return token;
}

const settled = (s: { state: string; reason: string | null } | undefined) =>
  s !== undefined && (s.state === 'running' || (s.state === 'failed' && !!s.reason));

describe('the reconciler across API processes on PostgreSQL', () => {
  it('50 sessions provisioning, SIGKILL midway, restart: every one ends running, none started twice', async () => {
    const f = await setUp();
    const dataDir = join(f.dirs[0]!, 'api');
    // Short leases so the restarted process takes over the dead one's work quickly.
    const config = configFor(f, { leaseMs: 1_500, pollIntervalMs: 100, batchSize: 10, concurrency: 4 }, 1_500);
    const first = await launch(f, dataDir, config);
    const token = await prepareUser(f, first, dataDir, 'alice');
    const ids = await createSessions(first, token, 50, 'fault');

    // Kill it while sessions are in every phase: some submitted, others not yet.
    await eventually(async () => {
      const starts = startsPerSession(f.podFile).size;
      return starts >= 15 ? starts : undefined;
    }, '15 pod starts');
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = await states(f.db, ids);
    const unfinished = [...atKill.values()].filter((s) => s.state !== 'running').length;
    expect(unfinished, 'the kill came while provisioning was under way').toBeGreaterThan(0);

    await launch(f, dataDir, config);
    const final = await eventually(
      async () => {
        const now = await states(f.db, ids);
        return ids.every((id) => settled(now.get(id))) ? now : undefined;
      },
      'all 50 sessions settled',
      90_000,
      100,
    );
    const notRunning = ids.filter((id) => final.get(id)?.state !== 'running');
    expect(notRunning.map((id) => final.get(id))).toEqual([]);

    const starts = startsPerSession(f.podFile);
    expect(ids.filter((id) => starts.get(id) !== 1)).toEqual([]);
    // The restarted process really did part of the work (adopting or starting what was left).
    const pids = new Set(readFilePodRecords(f.podFile).map((r) => r.pid));
    expect(pids.size).toBe(2);
  });

  it('two API processes share the work without starting anything twice', async () => {
    const f = await setUp();
    const dirA = join(f.dirs[0]!, 'a');
    const dirB = join(f.dirs[0]!, 'b');
    const reconciler = { leaseMs: 5_000, pollIntervalMs: 200, batchSize: 4, concurrency: 2 };
    const a = await launch(f, dirA, configFor(f, reconciler, 300));
    const b = await launch(f, dirB, configFor(f, reconciler, 300));
    const token = await prepareUser(f, a, dirA, 'alice');
    const ids = await createSessions(a, token, 40, 'shared');

    await eventually(
      async () => {
        const now = await states(f.db, ids);
        return ids.every((id) => now.get(id)?.state === 'running') ? true : undefined;
      },
      'all 40 sessions running',
      60_000,
      100,
    );
    const starts = startsPerSession(f.podFile);
    expect(ids.filter((id) => starts.get(id) !== 1)).toEqual([]);
    const byPid = new Map<number, number>();
    for (const r of readFilePodRecords(f.podFile)) if (r.op === 'start') byPid.set(r.pid, (byPid.get(r.pid) ?? 0) + 1);
    expect([...byPid.keys()].sort()).toEqual([a.child.pid, b.child.pid].sort());
  });
});
