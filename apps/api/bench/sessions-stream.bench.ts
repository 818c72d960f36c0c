// 1,000 subscribers of `GET /api/v1/sessions/stream` (Server-Sent Events) watching one user's
// sessions while that user starts and stops a session 20 times. Figure: from sending the
// request that makes a transition until each subscriber has its `state_changed` event, p99
// over every subscriber and transition; and that no subscriber missed or reordered an event.
// Baseline: the same request's own round trip (the transition is committed when it answers).
// The API runs in its own process on PostgreSQL; the subscribers are in this process.
import { loadavg } from 'node:os';
import { percentile, reportFigure, round } from '@volundr/testkit/bench';
import { openSse, type SseStream } from '../src/test/sse-client';
import { postJson, startBenchApi } from './bench-api';

const SUBSCRIBERS = 1_000;
const ROUNDS = 20;

const bench = await startBenchApi();
try {
  const created = await postJson(bench.api.base, '/api/v1/sessions', bench.token, {
    name: 'watched',
    model: 'claude-sonnet-4-5',
    source: { type: 'blank' },
    start: false,
  });
  const { id } = (await created.json()) as { id: string };

  const auth = { authorization: `Bearer ${bench.token}` };
  const streams: SseStream[] = [];
  const received: string[][] = [];
  /** transition key (`<to>#<roundNo>`) → arrival times per subscriber. */
  const arrivals = new Map<string, number[]>();
  let roundNo = 0;
  const onMessageOf = (index: number) => (m: { id: string | undefined; event: string; data: string }) => {
    received[index]!.push(m.id ?? '?');
    if (m.event !== 'state_changed') return;
    const to = (JSON.parse(m.data) as { data: { to: string } }).data.to;
    const key = `${to}#${roundNo}`;
    const list = arrivals.get(key) ?? [];
    list.push(performance.now());
    arrivals.set(key, list);
  };
  for (let i = 0; i < SUBSCRIBERS; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, SUBSCRIBERS - i) }, (_, j) => {
        received.push([]);
        return openSse(`${bench.api.base}/api/v1/sessions/stream?lastEventId=0`, auth, onMessageOf(i + j));
      }),
    );
    streams.push(...batch);
  }

  const waitAll = async (key: string) => {
    const deadline = Date.now() + 30_000;
    while ((arrivals.get(key)?.length ?? 0) < SUBSCRIBERS) {
      if (Date.now() > deadline)
        throw new Error(`${key}: ${arrivals.get(key)?.length ?? 0} of ${SUBSCRIBERS} subscribers`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  const latencies: number[] = [];
  const requests: number[] = [];
  const transition = async (action: 'start' | 'stop', to: string, settle: string) => {
    const start = performance.now();
    const response = await postJson(bench.api.base, `/api/v1/sessions/${id}/${action}`, bench.token);
    requests.push(performance.now() - start);
    if (response.status !== 200) throw new Error(`${action} answered ${response.status}`);
    await waitAll(`${to}#${roundNo}`);
    for (const t of arrivals.get(`${to}#${roundNo}`)!) latencies.push(t - start);
    await waitAll(`${settle}#${roundNo}`);
  };
  for (roundNo = 0; roundNo < ROUNDS; roundNo++) {
    await transition('start', 'starting', 'running');
    await transition('stop', 'stopping', 'stopped');
  }

  // None lost, none reordered: every subscriber saw exactly the log, in order.
  const log = (
    await bench.db.execute<{ id: string }>(`SELECT id::text AS id FROM session_events ORDER BY session_events.id`)
  ).map((r) => r.id);
  const complete = received.filter((ids) => ids.length === log.length && ids.every((e, i) => e === log[i])).length;
  for (const stream of streams) stream.close();

  const p99 = percentile(latencies, 99);
  reportFigure({
    name: 'sessions: 1,000 SSE subscribers, transition → delivered p99 (PostgreSQL)',
    value: p99,
    unit: 'ms',
    baseline: { label: 'the transition request itself, p99', value: round(percentile(requests, 99)) },
    target: '≤ 100 ms, none lost',
    met: p99 <= 100 && complete === SUBSCRIBERS,
    note: `p50 ${percentile(latencies, 50).toFixed(1)} ms; ${latencies.length} deliveries; ${complete}/${SUBSCRIBERS} subscribers got all ${log.length} events in order; load average ${loadavg()[0]!.toFixed(1)}`,
  });
} finally {
  await bench.stop();
}
