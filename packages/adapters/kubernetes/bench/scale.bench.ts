/**
 * Does the Kubernetes runtime notice a pod's change quickly with 2,000 sessions running, without
 * polling them?
 *
 *   npx tsx packages/adapters/kubernetes/bench/scale.bench.ts [sessions] [changes]
 *
 * The API emulator runs in a child process (bench/emulator-process.ts). This process starts N
 * sessions through the direct pod manager (16 in flight), watches all of them through its
 * `watch` (one pod informer), then injects state changes one at a time (the simulated kubelet
 * crashes a random session's broker, then recovers it) and measures the time until the pod
 * manager reports the session's new status (failed with its reason / running). Baseline: a raw
 * client-node Watch on the same pods in this process — the emulator's own watch latency. CPU:
 * this process's CPU time (pod manager, informer, and the baseline watch) during the changes
 * and during an idle window (no polling: it should be near zero).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { KubeConfig, type V1Pod, Watch } from '@kubernetes/client-node';
import { type SessionSpec, ZSessionSpec } from '@volundr/contracts/session-spec';
import type { PodHandle, PodStatus } from '@volundr/core/sessions/ports/pod-manager';
import { percentile, reportFigure } from '@volundr/testkit/bench';
import { createKubernetesPodManager } from '../src/direct-pod-manager';
import { instanceName } from '../src/session-names';

const sessions = Number(process.argv[2] ?? 2_000);
const changes = Number(process.argv[3] ?? 200);
if (!Number.isInteger(sessions) || sessions < 10 || !Number.isInteger(changes) || changes < 10) {
  console.error('usage: scale.bench.ts [sessions >= 10] [changes >= 10]');
  process.exit(2);
}
const ns = 'volundr-sessions';
const now = () => performance.timeOrigin + performance.now();

// ---- the emulator process --------------------------------------------------------------------
const child = spawn(
  process.execPath,
  ['--import', 'tsx', new URL('./emulator-process.ts', import.meta.url).pathname, ns],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
const first = await lines.next();
const kubeConfig = new KubeConfig();
kubeConfig.loadFromString((JSON.parse(first.value as string) as { kubeconfig: string }).kubeconfig);
const injected = new Map<number, (at: number) => void>();
void (async () => {
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const { seq, at } = JSON.parse(next.value) as { seq: number; at: number };
    injected.get(seq)?.(at);
  }
})();
let seq = 0;
function inject(op: 'fail' | 'recover', name: string): Promise<number> {
  const id = ++seq;
  return new Promise((resolve) => {
    injected.set(id, (at) => {
      injected.delete(id);
      resolve(at);
    });
    child.stdin!.write(`${JSON.stringify({ seq: id, op, namespace: ns, name })}\n`);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

// ---- sessions ------------------------------------------------------------------------------
const pods = createKubernetesPodManager(
  {
    namespace: ns,
    broker: { oidc: { issuer: 'https://idp.example.test', audience: 'volundr' } },
    gateway: { parentRefs: [{ name: 'volundr', namespace: 'envoy-gateway-system' }] },
  },
  { kubeConfig },
);
const specOf = (i: number): SessionSpec => {
  const id = `bench-${i}`;
  const container = (name: string, role: 'broker' | 'terminal' | 'ide', port: number) => ({
    name,
    role,
    ports: [{ name: 'http', port }],
    readiness: { path: '/healthz', port: 'http' },
  });
  return ZSessionSpec.parse({
    session: { id, name: id, ownerId: `u-${i % 100}`, tenantId: 't-1', model: 'claude-sonnet', cli: 'claude' },
    workspace: { volume: 'workspace', mountPath: '/volundr/workspace' },
    home: { enabled: false },
    agent: {},
    gateway: {
      routes: [{ name: 'chat', pathPrefix: `/s/${id}/ws/chat`, container: 'skuld', port: 'http', websocket: true }],
      endpoints: { chat: `/s/${id}/ws/chat`, terminal: null, code: null },
    },
    pod: {
      containers: [
        container('skuld', 'broker', 8081),
        container('terminal', 'terminal', 7681),
        container('ide', 'ide', 8443),
      ],
      volumes: [{ name: 'workspace', source: { kind: 'emptyDir' } }],
    },
  });
};

const startedAt = performance.now();
const handles: PodHandle[] = new Array(sessions);
let nextIndex = 0;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (nextIndex < sessions) {
      const i = nextIndex++;
      handles[i] = await pods.start(specOf(i), { id: `bench-${i}-1`, sessionId: `bench-${i}`, number: 1 });
    }
  }),
);
const startSeconds = (performance.now() - startedAt) / 1000;
console.log(`started ${sessions} sessions in ${startSeconds.toFixed(1)} s`);

// One watch call for every session: status changes arrive through the shared pod informer.
const latest = new Map<string, PodStatus>();
type Waiter = { id: string; check: (s: PodStatus) => boolean; resolve: (at: number) => void };
let waiter: Waiter | null = null;
const unsubscribe = pods.watch(handles, (handle, status) => {
  const at = now();
  latest.set(handle.id, status);
  if (waiter && waiter.id === handle.id && waiter.check(status)) {
    const w = waiter;
    waiter = null;
    w.resolve(at);
  }
});
await withTimeout(
  (async () => {
    for (const handle of handles) {
      while ((await pods.status(handle)).phase !== 'running') await new Promise((r) => setImmediate(r));
    }
  })(),
  120_000,
  'every session running',
);
console.log(`all ${sessions} running; watching ${pods.watchedSessions()} sessions`);

// Baseline: a raw watch on the same pods, in this process.
const rawWaiters = new Map<string, { check: (p: V1Pod) => boolean; resolve: (at: number) => void }>();
const rawWatch = await new Watch(kubeConfig).watch(
  `/api/v1/namespaces/${ns}/pods`,
  { labelSelector: 'volundr.io/runtime=direct' },
  (_type: string, pod: V1Pod) => {
    const at = now();
    const name = pod.metadata?.name ?? '';
    const w = rawWaiters.get(name);
    if (w?.check(pod)) {
      rawWaiters.delete(name);
      w.resolve(at);
    }
  },
  () => undefined,
);
await new Promise((r) => setTimeout(r, 500)); // the raw watch's initial ADDED burst passes

const crashed = (p: V1Pod) =>
  p.status?.containerStatuses?.some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff') === true;
const readyPod = (p: V1Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

const ours: number[] = [];
const baseline: number[] = [];
const cpuBefore = process.cpuUsage();
const changeStart = performance.now();
for (let c = 0; c < changes; c++) {
  const i = Math.floor(Math.random() * sessions);
  const handle = handles[i]!;
  const name = instanceName(`bench-${i}`, 1);
  for (const [op, check, rawCheck] of [
    ['fail', (s: PodStatus) => s.phase === 'failed', crashed],
    ['recover', (s: PodStatus) => s.phase === 'running', readyPod],
  ] as const) {
    const seen = new Promise<number>((resolve) => {
      waiter = { id: handle.id, check, resolve };
    });
    const rawSeen = new Promise<number>((resolve) => rawWaiters.set(name, { check: rawCheck, resolve }));
    const at = await inject(op, name);
    const [ourAt, rawAt] = await withTimeout(Promise.all([seen, rawSeen]), 10_000, `${op} of ${name} seen`);
    ours.push(ourAt - at);
    baseline.push(rawAt - at);
  }
}
const changeMs = performance.now() - changeStart;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;

// Idle: nothing changes; without per-session polling the watcher should do (almost) nothing.
const idleBefore = process.cpuUsage();
const idleStart = performance.now();
await new Promise((r) => setTimeout(r, 5_000));
const idle = process.cpuUsage(idleBefore);
const idleCpuShare = (idle.user + idle.system) / 1000 / (performance.now() - idleStart);

const p99 = percentile(ours, 99);
reportFigure({
  name: 'kube-runtime.watch.status-change.p50',
  value: percentile(ours, 50),
  unit: 'ms',
  baseline: { label: 'raw client-node watch p50', value: percentile(baseline, 50) },
  note: `${sessions} sessions running, ${ours.length} injected pod changes`,
});
reportFigure({
  name: 'kube-runtime.watch.status-change.p99',
  value: p99,
  unit: 'ms',
  baseline: { label: 'raw client-node watch p99', value: percentile(baseline, 99) },
  target: '≤ 200 ms',
  met: p99 <= 200,
  note: `${sessions} sessions running, one informer for all of them`,
});
reportFigure({
  name: 'kube-runtime.watch.cpu-per-change',
  value: cpuMs / ours.length,
  unit: 'ms CPU',
  note: `${Math.round(cpuMs)} ms CPU for ${ours.length} changes over ${Math.round(changeMs)} ms (${Math.round((cpuMs / changeMs) * 100)}% of one core; includes the baseline watch)`,
});
reportFigure({
  name: 'kube-runtime.watch.idle-cpu',
  value: idleCpuShare * 100,
  unit: '% of one core',
  target: 'near 0 (no per-session polling)',
  note: `${sessions} sessions watched, 5 s without changes`,
});
reportFigure({ name: 'kube-runtime.start.sessions-per-second', value: sessions / startSeconds, unit: 'sessions/s' });

unsubscribe();
rawWatch.abort();
await pods.close();
child.stdin!.end();
child.kill();
process.exit(0);
