// What the sessions benchmarks share: the bundled API as its own process on a PostgreSQL
// database of its own (closest to production: the load generator does not share the API's
// event loop), the file pod manager ready at once, a signed-in user with a high quota.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintDevToken } from '@volundr/adapter-identity/embedded/dev-token';
import { type Database, openDatabase } from '@volundr/db/client';
import { createTestDatabase, type TestDatabase } from '@volundr/testkit/postgres';
import { type ApiProcess, startApiProcess } from '../src/test/api-process';
import { FILE_POD_MANAGER } from '../src/test/session-test-api';

export interface BenchApi {
  api: ApiProcess;
  db: Database;
  token: string;
  dataDir: string;
  stop(): Promise<void>;
}

const PUBLIC_URL = 'http://volundr.bench';

/** Bundles the API from the current source, so the figures are of this code. */
export function buildApi(): void {
  const result = spawnSync(process.execPath, ['../../scripts/bundle.mjs', 'src/main.ts', 'dist/api.mjs'], {
    cwd: join(import.meta.dirname, '..'),
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('building the API failed');
}

export async function startBenchApi(options: { reconciler?: Record<string, unknown> } = {}): Promise<BenchApi> {
  buildApi();
  const pg: TestDatabase = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'volundr-bench-'));
  const api = await startApiProcess({
    dataDir,
    env: { DATABASE_URL: pg.url },
    // BENCH_PROF=<dir>: a CPU profile of the API process, for finding where the time goes.
    ...(process.env.BENCH_PROF ? { execArgv: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] } : {}),
    config: {
      server: { publicUrl: PUBLIC_URL },
      logging: { level: 'error' },
      reconciler: { pollIntervalMs: 500, ...options.reconciler },
      adapters: { podManager: { use: FILE_POD_MANAGER, file: join(dataDir, 'pods.jsonl'), readyAfterMs: 0 } },
    },
  });
  const db = await openDatabase({ driver: 'postgres', url: pg.url, max: 4 });
  const token = await mintDevToken({ dataDir, user: 'alice', issuer: `${PUBLIC_URL}/oidc` });
  const me = await fetch(`${api.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  if (me.status !== 200) throw new Error(`provisioning the bench user failed: ${me.status}`);
  await db.execute('UPDATE tenants SET max_running_sessions = 100000');
  return {
    api,
    db,
    token,
    dataDir,
    async stop() {
      api.child.kill('SIGTERM');
      await api.exited;
      await db.close();
      await pg.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * CPU time (user + system, ms) the process has used so far, from /proc (Linux); null elsewhere.
 * A figure's note can then say what one request cost the API itself, whatever else the machine
 * was doing.
 */
export function cpuMsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat; counted from the state (field 3) they are 11 and 12.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** CPU time (ms) used so far by every process named `name` (all PostgreSQL backends, say); null off Linux. */
export function cpuMsOfProcesses(name: string): number | null {
  try {
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== name) continue;
        const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
        total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
      } catch {
        // the process ended meanwhile
      }
    }
    return total;
  } catch {
    return null;
  }
}

export async function postJson(base: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
