/**
 * Skuld broker benchmark: `npx tsx packages/skuld/bench/broker.bench.ts`.
 *
 * A fake transport emits 10,000 text deltas, each carrying its emit time. The same script is
 * read directly (baseline: a callback on the transport) and through the broker (durable log +
 * WebSocket to a client in its own process, as a browser would be), in the same run:
 *  - paced: a CLI-like stream (10 deltas every 2 ms): time to last event, ratio to the baseline,
 *    per-event added latency (p50/p99);
 *  - burst: 100 deltas per tick, as fast as the transport can: events/s through the broker.
 * Then the idle RSS of the bundled broker process beside bare Node and Node with the broker's
 * third-party modules loaded (ws, zod, pino, jose), measured the same way.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startHarness } from '../src/test/broker-harness';
import { startSkuldProcess } from '../src/test/skuld-process';
import { createFakeTransport, type FakeScript } from '../src/transports/fake-transport';

const DELTAS = 10_000;
const here = import.meta.dirname;

type Mode = 'paced' | 'burst';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tick = () => new Promise((resolve) => setImmediate(resolve));

const script: FakeScript = async (ctx) => {
  const mode = ctx.turn.text as Mode;
  const perTick = mode === 'paced' ? 10 : 100;
  for (let i = 0; i < DELTAS; ) {
    for (let j = 0; j < perTick && i < DELTAS; j++, i++) ctx.text(process.hrtime.bigint().toString());
    await (mode === 'paced' ? sleep(2) : tick());
  }
};

interface Run {
  totalMs: number;
  eventsPerSec: number;
  latencyMs: { p50: number; p99: number; max: number };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const summarize = (firstEmit: bigint, lastRecv: bigint, latenciesNs: number[]): Run => {
  const sorted = [...latenciesNs].sort((a, b) => a - b);
  const totalMs = Number(lastRecv - firstEmit) / 1e6;
  return {
    totalMs,
    eventsPerSec: Math.round(latenciesNs.length / (totalMs / 1000)),
    latencyMs: {
      p50: percentile(sorted, 0.5) / 1e6,
      p99: percentile(sorted, 0.99) / 1e6,
      max: (sorted.at(-1) ?? 0) / 1e6,
    },
  };
};

async function direct(mode: Mode): Promise<Run> {
  const transport = createFakeTransport({ script });
  const latencies: number[] = [];
  let first = 0n;
  let last = 0n;
  await transport.runTurn(
    { turnId: 't', userMessageId: 'u', text: mode },
    {
      emit(event) {
        const now = process.hrtime.bigint();
        if (event.type === 'text_delta') {
          const emitted = BigInt(event.text);
          if (latencies.length === 0) first = emitted;
          latencies.push(Number(now - emitted));
        }
        last = now;
      },
    },
  );
  return summarize(first, last, latencies);
}

async function throughBroker(url: string, token: string, mode: Mode): Promise<Run> {
  const child = spawn(process.execPath, [join(here, 'ws-reader.mjs'), url, token, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  await new Promise((resolve) => child.on('exit', resolve));
  const result = JSON.parse(out) as { deltas: number; firstEmit: string; lastRecv: string; latenciesNs: number[] };
  if (result.deltas !== DELTAS) throw new Error(`the client received ${result.deltas} deltas, not ${DELTAS}`);
  return summarize(BigInt(result.firstEmit), BigInt(result.lastRecv), result.latenciesNs);
}

function rssOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { rssMb: kb('VmRSS'), anonMb: kb('RssAnon') };
}

/** RSS of a Node process that has run `code` and then idled for `idleMs`. */
function idleNode(code: string, idleMs: number): Promise<{ rssMb: number; anonMb: number }> {
  return new Promise((resolve, reject) => {
    const script = `${code};setTimeout(()=>{const s=require('fs').readFileSync('/proc/self/status','utf8');const kb=n=>Number(new RegExp(n+':\\\\s+(\\\\d+) kB').exec(s)[1])/1024;console.log(JSON.stringify({rssMb:kb('VmRSS'),anonMb:kb('RssAnon')}))},${idleMs})`;
    execFile(process.execPath, ['-e', script], { cwd: join(here, '..') }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout)),
    );
  });
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);

async function main() {
  const h = await startHarness({ transport: { script } });
  const token = await h.token();
  const results: Record<string, unknown> = {};
  try {
    // Warm-up of both paths (JIT, socket buffers).
    await direct('burst');
    await throughBroker(h.url, token, 'burst');

    // Alternate the two paths so machine load (other processes on 2 cores) hits both alike.
    const pacedDirectRuns: Run[] = [];
    const pacedBrokerRuns: Run[] = [];
    for (let i = 0; i < 3; i++) {
      pacedDirectRuns.push(await direct('paced'));
      pacedBrokerRuns.push(await throughBroker(h.url, token, 'paced'));
    }
    const burstDirect: Run[] = [];
    const burstBroker: Run[] = [];
    for (let i = 0; i < 3; i++) {
      burstDirect.push(await direct('burst'));
      burstBroker.push(await throughBroker(h.url, token, 'burst'));
    }
    const median = (runs: Run[]) => [...runs].sort((a, b) => a.totalMs - b.totalMs)[1] as Run;
    const bd = median(burstDirect);
    const bb = median(burstBroker);
    const pacedDirect = median(pacedDirectRuns);
    const pacedBroker = median(pacedBrokerRuns);
    const pacedP99s = pacedBrokerRuns.map((run) => run.latencyMs.p99).sort((a, b) => a - b);

    console.log(
      `\nSkuld broker, ${DELTAS} text deltas (client in its own process; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores)\n`,
    );
    console.log('scenario            path      time to last event   events/s    latency p50 / p99 / max (ms)');
    const row = (name: string, path: string, run: Run) =>
      console.log(
        `${name.padEnd(19)} ${path.padEnd(9)} ${`${fmt(run.totalMs, 1)} ms`.padStart(18)}   ${String(run.eventsPerSec).padStart(8)}    ${fmt(run.latencyMs.p50, 3)} / ${fmt(run.latencyMs.p99, 3)} / ${fmt(run.latencyMs.max, 3)}`,
      );
    row('paced (median of 3)', 'direct', pacedDirect);
    row('paced (median of 3)', 'broker', pacedBroker);
    row('burst (median of 3)', 'direct', bd);
    row('burst (median of 3)', 'broker', bb);
    const pacedRatio = pacedBroker.totalMs / pacedDirect.totalMs;
    const addedP99 = (pacedP99s[1] ?? 0) - pacedDirect.latencyMs.p99;
    console.log(`\npaced: time-to-last-event ratio broker/direct = ${fmt(pacedRatio, 3)} (target ≤ 1.05)`);
    console.log(
      `paced: p99 added latency per event = ${fmt(addedP99, 3)} ms, median of 3 runs (${pacedP99s.map((p) => fmt(p, 2)).join(' / ')}) (target ≤ 2 ms)`,
    );
    console.log(
      `burst: events/s through the broker = ${bb.eventsPerSec} (target ≥ 20,000); ratio = ${fmt(bb.totalMs / bd.totalMs, 1)}`,
    );
    Object.assign(results, {
      pacedRatio,
      pacedAddedP99Ms: addedP99,
      burstEventsPerSec: bb.eventsPerSec,
      burstRatio: bb.totalMs / bd.totalMs,
      paced: { direct: pacedDirect, broker: pacedBroker },
      burst: { direct: bd, broker: bb },
    });
  } finally {
    await h.close();
  }

  // Idle RSS: the bundled broker process vs Node alone and Node with the same third-party modules.
  const idleMs = 4_000;
  const bare = await idleNode('0', idleMs);
  const deps = await idleNode("Promise.all(['ws','zod','pino','jose'].map((m)=>import(m)))", idleMs);
  const ws = await import('node:fs').then((fs) => fs.mkdtempSync('/tmp/skuld-bench-'));
  const broker = await startSkuldProcess({
    SKULD_SESSION_ID: 'bench',
    SKULD_OWNER_ID: 'o',
    SKULD_TENANT_ID: 't',
    SKULD_WORKSPACE_DIR: ws,
    SKULD_OIDC_ISSUER: 'http://127.0.0.1:9/unused',
    SKULD_OIDC_AUDIENCE: 'a',
    SKULD_TRANSPORT: 'fake',
    SKULD_MODEL: 'm',
  });
  await sleep(idleMs);
  const idle = rssOf(broker.child.pid ?? 0);
  await broker.stop('SIGTERM');
  console.log(`\nidle RSS after ${idleMs / 1000} s (private anonymous memory in brackets)`);
  console.log(`  node, nothing loaded          ${fmt(bare.rssMb, 1)} MB  [${fmt(bare.anonMb, 1)} MB]`);
  console.log(`  node + ws, zod, pino, jose    ${fmt(deps.rssMb, 1)} MB  [${fmt(deps.anonMb, 1)} MB]`);
  console.log(
    `  skuld (bundled, fake)         ${fmt(idle.rssMb, 1)} MB  [${fmt(idle.anonMb, 1)} MB]   (target ≤ 60 MB)`,
  );
  Object.assign(results, { idle: { bare, deps, skuld: idle } });
  const r = results as {
    pacedRatio: number;
    pacedAddedP99Ms: number;
    burstEventsPerSec: number;
    paced: { direct: Run; broker: Run };
    burst: { direct: Run; broker: Run };
  };
  const round = (n: number, digits = 2) => Number(n.toFixed(digits));
  const figures = [
    {
      name: 'skuld: time to last of 10k paced deltas',
      value: round(r.paced.broker.totalMs, 0),
      unit: 'ms',
      baseline: { value: round(r.paced.direct.totalMs, 0), label: 'transport read directly' },
      target: '≤ 1.05 × baseline',
      met: r.pacedRatio <= 1.05,
      note: `ratio ${r.pacedRatio.toFixed(3)}`,
    },
    {
      name: 'skuld: p99 added latency per event',
      value: round(r.pacedAddedP99Ms, 3),
      unit: 'ms',
      baseline: { value: round(r.paced.direct.latencyMs.p99, 3), label: 'transport read directly' },
      target: '≤ 2 ms',
      met: r.pacedAddedP99Ms <= 2,
      note: `p50 ${r.paced.broker.latencyMs.p50.toFixed(3)} ms; load average ${loadavg()[0]?.toFixed(1)}`,
    },
    {
      name: 'skuld: events/s through the broker (burst)',
      value: r.burstEventsPerSec,
      unit: 'events/s',
      baseline: { value: r.burst.direct.eventsPerSec, label: 'transport read directly' },
      target: '≥ 20,000',
      met: r.burstEventsPerSec >= 20_000,
    },
    {
      name: 'skuld: idle RSS',
      value: round(idle.rssMb, 1),
      unit: 'MB',
      baseline: { value: round(deps.rssMb, 1), label: 'node + ws, zod, pino, jose' },
      target: '≤ 60 MB',
      met: idle.rssMb <= 60,
      note: `private ${idle.anonMb.toFixed(1)} MB vs ${deps.anonMb.toFixed(1)} MB; bare node ${bare.rssMb.toFixed(1)} MB`,
    },
  ];
  for (const figure of figures) console.log(`BENCH ${JSON.stringify(figure)}`);
}

await main();
