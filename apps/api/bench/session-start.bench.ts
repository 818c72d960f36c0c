// Control-plane overhead of a session: from sending `POST /api/v1/sessions` until the
// `running` transition reaches a subscriber of `/api/v1/sessions/stream`, with a pod manager
// that is ready at once, so what is measured is the API, the reconciler (ten contributors,
// leases, every step as an event) and PostgreSQL. One session at a time, 200 of them.
// Baseline: one `SELECT 1` round trip to the same PostgreSQL from this process.
import { loadavg } from 'node:os';
import { percentile, reportFigure, round, since } from '@volundr/testkit/bench';
import { openSse } from '../src/test/sse-client';
import { postJson, startBenchApi } from './bench-api';

const SESSIONS = 200;

const bench = await startBenchApi();
try {
  const stream = await openSse(`${bench.api.base}/api/v1/sessions/stream`, { authorization: `Bearer ${bench.token}` });
  const running = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  stream.onMessage = (m) => {
    if (m.event !== 'state_changed') return;
    const event = JSON.parse(m.data) as { sessionId: string; data: { to: string } };
    if (event.data.to !== 'running') return;
    running.set(event.sessionId, performance.now());
    waiting.get(event.sessionId)?.();
  };

  const timings: number[] = [];
  for (let i = 0; i < SESSIONS + 10; i++) {
    const start = performance.now();
    const response = await postJson(bench.api.base, '/api/v1/sessions', bench.token, {
      name: `bench-${i}`,
      model: 'claude-sonnet-4-5',
      source: { type: 'blank' },
    });
    const { id } = (await response.json()) as { id: string };
    if (!running.has(id))
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`session ${id} did not reach running in 10 s`)), 10_000);
        waiting.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    waiting.delete(id);
    // The first ten warm up the process (JIT, connection pool, prepared statements).
    if (i >= 10) timings.push(running.get(id)! - start);
  }
  stream.close();

  const pings: number[] = [];
  for (let i = 0; i < SESSIONS; i++) {
    const start = performance.now();
    await bench.db.execute('SELECT 1');
    pings.push(since(start));
  }
  const baseline = { label: 'SELECT 1 round trip p50', value: round(percentile(pings, 50)) };
  const load = `load average ${loadavg()[0]!.toFixed(1)}`;
  const p50 = percentile(timings, 50);
  const p99 = percentile(timings, 99);
  reportFigure({
    name: 'sessions: create → running p50 (control plane, PostgreSQL)',
    value: p50,
    unit: 'ms',
    baseline,
    target: '≤ 20 ms',
    met: p50 <= 20,
    note: `${SESSIONS} sessions one at a time; pod manager ready at once; API in its own process; ${load}`,
  });
  reportFigure({
    name: 'sessions: create → running p99 (control plane, PostgreSQL)',
    value: p99,
    unit: 'ms',
    baseline: { label: 'SELECT 1 round trip p99', value: round(percentile(pings, 99)) },
    target: '≤ 100 ms',
    met: p99 <= 100,
    note: load,
  });
} finally {
  await bench.stop();
}
