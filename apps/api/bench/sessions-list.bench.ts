// `sessions.list` over HTTP: a page of 50 of a user's 10,000 sessions (`GET /api/v1/sessions`
// with a bearer token: authentication, provisioning check, authorization scope, the keyset
// query, output validation, JSON), latency p99 one request at a time and throughput with 16
// requests in flight. Baseline: `/healthz` measured the same way against the same process.
// The API runs in its own process on PostgreSQL; rows are copies of a real provisioned session.
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { percentile, reportFigure, round } from '@volundr/testkit/bench';
import { cpuMsOf, cpuMsOfProcesses, postJson, startBenchApi } from './bench-api';

const SESSIONS = 10_000;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function get(url: string, token: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request(url, { agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
        else resolve(performance.now() - start);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const ROUNDS = 3;
const PER_ROUND = 4_000;

/** One throughput round: PER_ROUND requests, 16 in flight; requests/s and CPU ms per request of each party. */
async function throughputRound(url: string, token: string | null, apiPid: number | undefined) {
  let next = 0;
  const cpuBefore = cpuMsOf(apiPid);
  const pgBefore = cpuMsOfProcesses('postgres');
  const selfBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next++ < PER_ROUND) await get(url, token);
    }),
  );
  const rate = PER_ROUND / ((performance.now() - started) / 1000);
  const cpuAfter = cpuMsOf(apiPid);
  const pgAfter = cpuMsOfProcesses('postgres');
  const self = process.cpuUsage(selfBefore);
  return {
    rate,
    apiCpuMs: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / PER_ROUND,
    pgCpuMs: pgBefore === null || pgAfter === null ? null : (pgAfter - pgBefore) / PER_ROUND,
    clientCpuMs: (self.user + self.system) / 1000 / PER_ROUND,
  };
}

/** Latency one request at a time, then throughput: the median of ROUNDS rounds (and their range). */
async function measure(url: string, token: string | null, apiPid: number | undefined) {
  for (let i = 0; i < 200; i++) await get(url, token); // warm-up
  const serial: number[] = [];
  for (let i = 0; i < 1_000; i++) serial.push(await get(url, token));
  const rounds = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await throughputRound(url, token, apiPid));
  rounds.sort((x, y) => x.rate - y.rate);
  const median = rounds[Math.floor(ROUNDS / 2)]!;
  return {
    p50: percentile(serial, 50),
    p99: percentile(serial, 99),
    ...median,
    range: [rounds[0]!.rate, rounds.at(-1)!.rate] as const,
  };
}

const bench = await startBenchApi();
try {
  const created = await postJson(bench.api.base, '/api/v1/sessions', bench.token, {
    name: 'template',
    model: 'claude-sonnet-4-5',
    source: { type: 'git', repo: 'https://github.com/org/app', branch: 'main' },
  });
  const { id } = (await created.json()) as { id: string };
  for (let i = 0; i < 400; i++) {
    const [row] = await bench.db.execute<{ state: string }>('SELECT state FROM sessions WHERE id = $1', [id]);
    if (row?.state === 'running') break;
    await new Promise((r) => setTimeout(r, 25));
  }
  // 10,000 copies of the running session: names unique, creation times spread over a year.
  await bench.db.execute(
    `INSERT INTO sessions (id, name, owner_id, tenant_id, model, source, state, state_reason, version, launch, spec,
       endpoints, runtime, template_name, profile_name, preset_id, idle_timeout_minutes, activity_state,
       activity_metadata, running_since, created_at, updated_at)
     SELECT gen_random_uuid()::text, 'copy-' || n, owner_id, tenant_id, model, source,
       (ARRAY['running','stopped','failed','created'])[1 + n % 4], state_reason, version, launch, spec, endpoints,
       runtime, template_name, profile_name, preset_id, idle_timeout_minutes, activity_state, activity_metadata,
       running_since, now() - make_interval(mins => n * 50), now()
     FROM sessions, generate_series(1, $1::int) AS n WHERE id = $2`,
    [SESSIONS - 1, id],
  );
  await bench.db.execute('ANALYZE sessions');

  const list = await measure(`${bench.api.base}/api/v1/sessions?limit=50`, bench.token, bench.api.child.pid);
  const health = await measure(`${bench.api.base}/healthz`, null, bench.api.child.pid);
  const cpu =
    (list.apiCpuMs === null ? '' : `; API process CPU ${list.apiCpuMs.toFixed(2)} ms per request`) +
    (list.pgCpuMs === null ? '' : `, PostgreSQL ${list.pgCpuMs.toFixed(2)} ms`) +
    `, load generator ${list.clientCpuMs.toFixed(2)} ms` +
    `; median of ${ROUNDS} rounds of ${PER_ROUND} (range ${Math.round(list.range[0])}–${Math.round(list.range[1])} req/s)`;
  reportFigure({
    name: 'sessions: list page of 50 over 10k, p99 (HTTP, PostgreSQL)',
    value: list.p99,
    unit: 'ms',
    baseline: { label: '/healthz p99', value: round(health.p99) },
    target: '≤ 20 ms',
    met: list.p99 <= 20,
    note: `p50 ${list.p50.toFixed(2)} ms (healthz ${health.p50.toFixed(2)} ms); one request at a time; load average ${loadavg()[0]!.toFixed(1)}`,
  });
  reportFigure({
    name: 'sessions: list page of 50 over 10k, throughput (HTTP, PostgreSQL)',
    value: list.rate,
    unit: 'req/s',
    baseline: { label: '/healthz', value: Math.round(health.rate) },
    target: '≥ 1,500 req/s',
    met: list.rate >= 1_500,
    note: `16 requests in flight, keep-alive, load generator in another process${cpu}; load average ${loadavg()[0]!.toFixed(1)}`,
  });
} finally {
  agent.destroy();
  await bench.stop();
}
