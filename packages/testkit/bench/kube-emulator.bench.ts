/**
 * Does the Kubernetes API emulator stay fast with 2,000 pods and watches open?
 *
 *   npx tsx packages/testkit/bench/kube-emulator.bench.ts [pods] [changes]
 *
 * Creates N pods over HTTP (client-node, 16 in flight) and lets the simulated kubelet run them,
 * opens a client-node Watch on all of them (plus 200 single-pod watches as noise), then injects
 * state changes one at a time (kubelet.failPod / recoverPod on a random pod) and measures the time
 * until the watch delivers that pod's new state. Baseline: the same change observed by an
 * in-process store watch (no HTTP, no JSON over a socket).
 */
import { CoreV1Api, type V1Pod, Watch } from '@kubernetes/client-node';
import { percentile, reportFigure, since } from '../src/bench';
import { startKubeEmulator } from '../src/kube/start-kube-emulator';

const podCount = Number(process.argv[2] ?? 2_000);
const changes = Number(process.argv[3] ?? 200);
if (!Number.isInteger(podCount) || podCount < 10 || !Number.isInteger(changes) || changes < 10) {
  console.error('usage: kube-emulator.bench.ts [pods >= 10] [changes >= 10]');
  process.exit(2);
}

const ns = 'bench';
const emulator = await startKubeEmulator({ namespaces: [ns] });
const kubelet = emulator.kubelet!;
const core = emulator.client(CoreV1Api);
const aborts: Array<{ abort(): void }> = [];

type Waiter = { name: string; check: (pod: V1Pod) => boolean; resolve: () => void };
let waiter: Waiter | undefined;
const crashed = (pod: V1Pod) => pod.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff';
const ready = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

try {
  // ---- create N pods over HTTP, the kubelet runs them
  const createStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < podCount; i = next++)
        await core.createNamespacedPod({
          namespace: ns,
          body: {
            metadata: { name: `session-${i}`, labels: { 'volundr.dev/session': `s${i}`, app: 'volundr-session' } },
            spec: {
              containers: [
                {
                  name: 'broker',
                  image: 'ghcr.io/volundr/session:1.0',
                  resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '2Gi' } },
                },
                { name: 'ttyd', image: 'tsl0922/ttyd:1.7' },
              ],
            },
          },
        });
    }),
  );
  const createMs = since(createStart);
  await kubelet.idle(120_000);
  const runningMs = since(createStart);
  const running = emulator.store.list('pods', { namespace: ns, fieldSelector: 'status.phase=Running' }).length;
  console.log(
    `${podCount} pods created over HTTP in ${Math.round(createMs)} ms; ${running} Running after ${Math.round(runningMs)} ms`,
  );

  const listStart = performance.now();
  const listed = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=volundr-session' });
  const listMs = since(listStart);
  console.log(`list of ${listed.items.length} pods over HTTP: ${Math.round(listMs)} ms`);

  // ---- watches: one on all session pods (what an informer holds) + 200 single-pod watches
  const watch = new Watch(emulator.kubeConfig);
  aborts.push(
    await watch.watch(
      `/api/v1/namespaces/${ns}/pods`,
      { resourceVersion: listed.metadata?.resourceVersion, labelSelector: 'app=volundr-session' },
      (_type, pod: V1Pod) => {
        if (waiter && pod.metadata?.name === waiter.name && waiter.check(pod)) waiter.resolve();
      },
      (err) => {
        if (err && (err as Error).name !== 'AbortError') console.error('watch ended:', err);
      },
    ),
  );
  for (let i = 0; i < 200; i++)
    aborts.push(
      await watch.watch(
        `/api/v1/namespaces/${ns}/pods`,
        {
          fieldSelector: `metadata.name=session-${(i * 7) % podCount}`,
          resourceVersion: listed.metadata?.resourceVersion,
        },
        () => undefined,
        () => undefined,
      ),
    );

  // ---- injected state changes, observed through the HTTP watch
  const pick = (i: number) => `session-${(i * 7919) % podCount}`;
  const broken = new Set<string>();
  const change = (name: string) => {
    if (broken.has(name)) {
      broken.delete(name);
      return { check: ready, apply: () => kubelet.recoverPod(ns, name) };
    }
    broken.add(name);
    return { check: crashed, apply: () => kubelet.failPod(ns, name, { type: 'CrashLoopBackOff' }) };
  };
  const measure = async (observe: (name: string, check: (pod: V1Pod) => boolean) => Promise<void>) => {
    const samples: number[] = [];
    for (let i = 0; i < changes; i++) {
      const name = pick(i);
      const { check, apply } = change(name);
      const arrived = observe(name, check);
      const start = performance.now();
      apply();
      await timeout(arrived, 5_000, `event for ${name}`);
      samples.push(since(start));
    }
    return samples;
  };

  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const overHttp = await measure(
    (name, check) =>
      new Promise<void>((resolve) => {
        waiter = { name, check, resolve };
      }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = (cpu.user + cpu.system) / 1000 / since(wallBefore);

  // ---- baseline: the same changes seen by an in-process store watch
  const inProcess = await measure(
    (name, check) =>
      new Promise<void>((resolve) => {
        const handle = emulator.store.watch(
          'pods',
          { namespace: ns, fieldSelector: `metadata.name=${name}`, resourceVersion: emulator.store.resourceVersion },
          (_t, o) => {
            if (check(o as unknown as V1Pod)) {
              handle.stop();
              resolve();
            }
          },
        );
      }),
  );

  console.log(`node ${process.version}, ${podCount} pods, ${aborts.length} watches open, ${changes} changes each`);
  const p50 = percentile(overHttp, 50);
  const p99 = percentile(overHttp, 99);
  console.log(
    `HTTP watch   p50 ${p50.toFixed(3)} ms  p99 ${p99.toFixed(3)} ms  max ${Math.max(...overHttp).toFixed(3)} ms  (process CPU ${(cpuShare * 100).toFixed(0)}% of one core while changing)`,
  );
  console.log(
    `in-process   p50 ${percentile(inProcess, 50).toFixed(3)} ms  p99 ${percentile(inProcess, 99).toFixed(3)} ms`,
  );
  reportFigure({
    name: 'kube-emulator.watch-event.p99',
    value: p99,
    unit: 'ms',
    baseline: { label: 'in-process store watch', value: percentile(inProcess, 99) },
    target: '≤ 200 ms',
    met: p99 <= 200,
    note: `${podCount} pods, ${aborts.length} watches, ${changes} injected pod state changes`,
  });
  reportFigure({
    name: 'kube-emulator.watch-event.p50',
    value: p50,
    unit: 'ms',
    baseline: { label: 'in-process store watch', value: percentile(inProcess, 50) },
  });
  reportFigure({
    name: 'kube-emulator.create-pods',
    value: createMs / 1000,
    unit: 's',
    note: `${podCount} pods over HTTP, 16 in flight`,
  });
  reportFigure({
    name: 'kube-emulator.all-running',
    value: runningMs / 1000,
    unit: 's',
    note: `${podCount} pods created and Running`,
  });
  reportFigure({
    name: 'kube-emulator.list-pods',
    value: listMs,
    unit: 'ms',
    note: `${listed.items.length} pods, one HTTP list`,
  });
} finally {
  for (const a of aborts) a.abort();
  await emulator.close();
}
