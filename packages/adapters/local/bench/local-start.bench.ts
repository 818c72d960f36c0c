/**
 * Local runtime start-up: `npx tsx packages/adapters/local/bench/local-start.bench.ts`.
 *
 * A blank session (no repository, no setup scripts) from `start` until every service answers
 * its readiness path: the Skuld broker (its /readyz runs `claude --version`), the terminal
 * server, and code-server when it is installed in the test cache. 20 sequential starts (p50/p95),
 * then 10 sessions started at once (time until all are ready). The baseline, measured in the
 * same run, is what any local process start costs here: spawning `node -e ''` until it exits.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { isPodReady, type PodHandle, type PodStatus } from '@volundr/core/sessions/ports/pod-manager';
import { percentile, reportFigure, since } from '@volundr/testkit/bench';
import { startTestIssuer } from '@volundr/testkit/test-issuer';
import { findCodeServer } from '../src/ide/code-server-find';
import { createLocalPodManager, type LocalPodManager } from '../src/local-pod-manager';
import { aLocalSpec } from '../src/test/local-spec';

const RUNS = 20;
const CONCURRENT = 10;
const packages = resolve(import.meta.dirname, '..', '..', '..');
const codeServerCache = join(homedir(), '.cache', 'volundr-test', 'code-server');

/** Bundles a package's entry as its `build` script does, under a private name (others may be reading dist/). */
async function bundle(pkg: string, entry: string): Promise<string> {
  const out = `dist/bench-${process.pid}.mjs`;
  await promisify(execFile)(process.execPath, ['../../scripts/bundle.mjs', entry, out], { cwd: join(packages, pkg) });
  return join(packages, pkg, out);
}

function waitReady(pods: LocalPodManager, handle: PodHandle): Promise<PodStatus> {
  return new Promise((done, fail) => {
    const check = (s: PodStatus) => {
      if (isPodReady(s)) {
        stop();
        done(s);
      } else if (s.phase === 'failed') {
        stop();
        fail(new Error(`session ${handle.id} failed: ${s.message}`));
      }
    };
    const stop = pods.watch([handle], (_, s) => check(s));
    void pods.status(handle).then(check);
  });
}

async function nodeBaseline(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await new Promise((done) => spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }).on('exit', done));
    times.push(since(started));
  }
  return times;
}

async function main() {
  const [skuldEntry, terminalEntry] = await Promise.all([
    bundle('skuld', 'src/main.ts'),
    bundle('terminal', 'src/main.ts'),
  ]);
  const issuer = await startTestIssuer({ audience: 'bench' });
  const dataDir = await mkdtemp(join(tmpdir(), 'volundr-local-bench-'));
  const ide = findCodeServer(codeServerCache) !== null;
  const pods = await createLocalPodManager({
    dataDir,
    maxConcurrentSessions: CONCURRENT,
    skuldEntry,
    terminalEntry,
    codeServerDataDir: codeServerCache,
    oidc: { issuer: issuer.issuer, audience: 'bench' },
    logLevel: 'warn',
  });
  const startOne = async (id: string) => {
    const spec = aLocalSpec({ dataDir, id, ide });
    const started = performance.now();
    const handle = await pods.start(spec, { id: `${id}-1`, sessionId: id, number: 1 });
    await waitReady(pods, handle);
    return { handle, ms: since(started) };
  };

  try {
    console.log(
      `${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}; services: broker, terminal${ide ? ', code-server' : ' (code-server not installed)'}`,
    );
    // One warm-up start: the first spawn of each program pays for the page cache.
    const warm = await startOne('warm-up');
    await pods.delete(warm.handle, { removeWorkspace: true });

    const baseline = await nodeBaseline();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { handle, ms } = await startOne(`seq-${i}`);
      times.push(ms);
      await pods.delete(handle, { removeWorkspace: true });
    }
    const p50 = percentile(times, 50);
    reportFigure({
      name: 'local.session.ready.p50',
      value: p50,
      unit: 'ms',
      baseline: { label: "spawn node -e '' (p50)", value: percentile(baseline, 50) },
      target: '≤ 1000 ms',
      met: p50 <= 1000,
      note: `blank session, ${ide ? 'broker + terminal + code-server' : 'broker + terminal'}, ${RUNS} sequential starts`,
    });
    reportFigure({
      name: 'local.session.ready.p95',
      value: percentile(times, 95),
      unit: 'ms',
      baseline: { label: "spawn node -e '' (p95)", value: percentile(baseline, 95) },
    });

    const started = performance.now();
    const all = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => startOne(`par-${i}`)));
    const allReady = since(started);
    reportFigure({
      name: 'local.session.ready.concurrent10',
      value: allReady,
      unit: 'ms',
      baseline: { label: 'one session alone (p50)', value: p50 },
      note: `${CONCURRENT} blank sessions started at once until all were ready (slowest single start ${Math.round(Math.max(...all.map((a) => a.ms)))} ms)`,
    });
    await Promise.all(all.map(({ handle }) => pods.delete(handle, { removeWorkspace: true })));
  } finally {
    await pods.stopOrphans([]);
    pods.close();
    await issuer.close();
    await rm(dataDir, { recursive: true, force: true });
    for (const entry of [skuldEntry, terminalEntry]) {
      for (const file of [entry, `${entry}.map`]) if (existsSync(file)) await rm(file, { force: true });
    }
  }
}

await main();
