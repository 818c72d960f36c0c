import { CoreV1Api, makeInformer, PatchStrategy, setHeaderOptions, type V1Pod, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeEmulator, startKubeEmulator } from './start-kube-emulator';

let emulator: KubeEmulator;
let core: CoreV1Api;
let nsCounter = 0;

beforeAll(async () => {
  emulator = await startKubeEmulator({ kubelet: false, bookmarkIntervalMs: 50 });
  core = emulator.client(CoreV1Api);
});
afterAll(() => emulator?.close());

async function freshNamespace(): Promise<string> {
  const name = `watch-${++nsCounter}`;
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

const pod = (name: string, labels: Record<string, string> = {}): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'main', image: 'nginx:1.25' }] },
});
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

interface Seen {
  type: string;
  object: {
    kind?: string;
    code?: number;
    metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
  };
}

/** Collects events and lets a test wait for a condition on them, re-checked on each event. */
class EventLog {
  readonly events: Seen[] = [];
  private waiters: Array<() => void> = [];
  done: unknown = 'open';

  push = (type: string, object: Seen['object']) => {
    this.events.push({ type, object });
    this.notify();
  };
  finish = (err: unknown) => {
    this.done = err ?? null;
    this.notify();
  };
  private notify() {
    for (const w of this.waiters) w();
  }
  until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(this.events.map((e) => e.type))}`)),
        timeoutMs,
      );
      const waiter = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      };
      this.waiters.push(waiter);
      waiter();
    });
  }
  summary() {
    return this.events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata?.name}`);
  }
}

describe('kube emulator: watch', () => {
  it('streams ADDED, MODIFIED and DELETED in order from a resourceVersion', async () => {
    const ns = await freshNamespace();
    await core.createNamespacedPod({ namespace: ns, body: pod('before') });
    const list = await core.listNamespacedPod({ namespace: ns });
    const log = new EventLog();
    const request = await new Watch(emulator.kubeConfig).watch(
      `/api/v1/namespaces/${ns}/pods`,
      { resourceVersion: list.metadata?.resourceVersion },
      log.push,
      log.finish,
    );
    await core.createNamespacedPod({ namespace: ns, body: pod('a') });
    await core.patchNamespacedPod({ name: 'a', namespace: ns, body: { metadata: { labels: { x: '1' } } } }, mergePatch);
    await core.deleteNamespacedPod({ name: 'a', namespace: ns });
    await log.until(() => log.events.length >= 3, 'three events');
    request.abort();
    expect(log.summary()).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
    const versions = log.events.map((e) => Number(e.object.metadata?.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions[0]).toBeGreaterThan(Number(list.metadata?.resourceVersion));
  });

  it('replays history after an older resourceVersion and starts with synthetic ADDED events without one', async () => {
    const ns = await freshNamespace();
    const first = await core.createNamespacedPod({ namespace: ns, body: pod('one') });
    await core.createNamespacedPod({ namespace: ns, body: pod('two') });
    await core.deleteNamespacedPod({ name: 'one', namespace: ns });
    const resumed = new EventLog();
    const r1 = await new Watch(emulator.kubeConfig).watch(
      `/api/v1/namespaces/${ns}/pods`,
      { resourceVersion: first.metadata?.resourceVersion },
      resumed.push,
      resumed.finish,
    );
    await resumed.until(() => resumed.events.length >= 2, 'replayed events');
    r1.abort();
    expect(resumed.summary()).toEqual(['ADDED two', 'DELETED one']);

    const fresh = new EventLog();
    const r2 = await new Watch(emulator.kubeConfig).watch(
      `/api/v1/namespaces/${ns}/pods`,
      {},
      fresh.push,
      fresh.finish,
    );
    await fresh.until(() => fresh.events.length >= 1, 'initial state');
    r2.abort();
    expect(fresh.summary()).toEqual(['ADDED two']);
  });

  it('follows a label selector: leaving it is DELETED, entering it is ADDED', async () => {
    const ns = await freshNamespace();
    const list = await core.listNamespacedPod({ namespace: ns });
    const log = new EventLog();
    const request = await new Watch(emulator.kubeConfig).watch(
      `/api/v1/namespaces/${ns}/pods`,
      { resourceVersion: list.metadata?.resourceVersion, labelSelector: 'session in (s1)' },
      log.push,
      log.finish,
    );
    await core.createNamespacedPod({ namespace: ns, body: pod('other') });
    await core.createNamespacedPod({ namespace: ns, body: pod('mine', { session: 's1' }) });
    await core.patchNamespacedPod(
      { name: 'mine', namespace: ns, body: { metadata: { labels: { session: 's2' } } } },
      mergePatch,
    );
    await core.patchNamespacedPod(
      { name: 'other', namespace: ns, body: { metadata: { labels: { session: 's1' } } } },
      mergePatch,
    );
    await log.until(() => log.events.length >= 3, 'selector transitions');
    request.abort();
    expect(log.summary()).toEqual(['ADDED mine', 'DELETED mine', 'ADDED other']);
  });

  it('answers a too-old resourceVersion with an ERROR event carrying 410, then ends the stream', async () => {
    const ns = await freshNamespace();
    const created = await core.createNamespacedPod({ namespace: ns, body: pod('p') });
    await core.patchNamespacedPod({ name: 'p', namespace: ns, body: { metadata: { labels: { a: 'b' } } } }, mergePatch);
    emulator.store.compact();
    const log = new EventLog();
    await new Watch(emulator.kubeConfig).watch(
      `/api/v1/namespaces/${ns}/pods`,
      { resourceVersion: created.metadata?.resourceVersion },
      log.push,
      log.finish,
    );
    await log.until(() => log.done !== 'open', 'the stream to end');
    expect(log.events).toHaveLength(1);
    expect(log.events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410 } });
    expect(log.done).toBeNull();

    const badVersion = await fetch(`${emulator.url}/api/v1/namespaces/${ns}/pods?watch=true&resourceVersion=abc`);
    expect(badVersion.status).toBe(400);
  });

  it('sends BOOKMARK events when allowed, and marks the end of initial events', async () => {
    const ns = await freshNamespace();
    await core.createNamespacedPod({ namespace: ns, body: pod('p') });
    const log = new EventLog();
    const request = await new Watch(emulator.kubeConfig).watch(
      `/api/v1/namespaces/${ns}/pods`,
      { allowWatchBookmarks: true, sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' },
      log.push,
      log.finish,
    );
    await log.until(() => log.events.filter((e) => e.type === 'BOOKMARK').length >= 2, 'two bookmarks');
    request.abort();
    expect(log.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'p' } } });
    expect(log.events[1]).toMatchObject({
      type: 'BOOKMARK',
      object: { kind: 'Pod', metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } },
    });
    expect(Number(log.events[2]?.object.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it('keeps an informer in sync, including a relist after its watch is dropped and history compacted', async () => {
    const ns = await freshNamespace();
    await core.createNamespacedPod({ namespace: ns, body: pod('a', { app: 'session' }) });
    await core.createNamespacedPod({ namespace: ns, body: pod('ignored', { app: 'other' }) });
    const informer = makeInformer<V1Pod>(
      emulator.kubeConfig,
      `/api/v1/namespaces/${ns}/pods`,
      () => core.listNamespacedPod({ namespace: ns, labelSelector: 'app=session' }),
      'app=session',
    );
    const log = new EventLog();
    informer.on('add', (p) => log.push('add', p));
    informer.on('update', (p) => log.push('update', p));
    informer.on('delete', (p) => log.push('delete', p));
    informer.on('error', (err) => log.push('error', { kind: String(err) }));
    await informer.start();
    const names = () =>
      informer
        .list(ns)
        .map((p) => p.metadata?.name)
        .sort();
    try {
      await log.until(() => names().join() === 'a', 'initial list');
      await core.createNamespacedPod({ namespace: ns, body: pod('b', { app: 'session' }) });
      await core.patchNamespacedPod(
        { name: 'a', namespace: ns, body: { metadata: { labels: { app: 'session', step: '2' } } } },
        mergePatch,
      );
      await log.until(
        () => names().join() === 'a,b' && informer.get('a', ns)?.metadata?.labels?.step === '2',
        'b added, a updated',
      );

      // A dropped watch resumes from its resourceVersion: nothing written meanwhile is lost.
      expect(emulator.dropWatches()).toBeGreaterThan(0);
      await core.createNamespacedPod({ namespace: ns, body: pod('c', { app: 'session' }) });
      await log.until(() => names().join() === 'a,b,c', 'c after the reconnect');

      // Stopped while its resourceVersion is compacted away: the restart gets 410 and relists.
      await informer.stop();
      await core.deleteNamespacedPod({ name: 'a', namespace: ns });
      await core.createNamespacedPod({ namespace: ns, body: pod('d', { app: 'session' }) });
      emulator.store.compact();
      await informer.start();
      await log.until(() => names().join() === 'b,c,d', 'relisted state');
      expect(log.events.some((e) => e.type === 'delete' && e.object.metadata?.name === 'a')).toBe(true);
      // client-node reports its own abort on stop() as an error; anything else would be ours.
      const errors = log.events.filter((e) => e.type === 'error' && !e.object.kind?.startsWith('AbortError'));
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });

  it('offers in-process watches and waitFor on the store', async () => {
    const ns = await freshNamespace();
    const seen: string[] = [];
    const handle = emulator.store.watch(
      'pods',
      { namespace: ns, resourceVersion: emulator.store.resourceVersion },
      (type, o) => seen.push(`${type} ${o.metadata.name}`),
    );
    const waiting = emulator.waitFor('pods', ns, 'w', (o) => o?.metadata.labels?.ready === 'yes');
    await core.createNamespacedPod({ namespace: ns, body: pod('w') });
    await core.patchNamespacedPod(
      { name: 'w', namespace: ns, body: { metadata: { labels: { ready: 'yes' } } } },
      mergePatch,
    );
    const reached = await waiting;
    handle.stop();
    expect(reached?.metadata.labels).toEqual({ ready: 'yes' });
    expect(seen).toEqual(['ADDED w', 'MODIFIED w']);
    await expect(emulator.waitFor('pods', ns, 'never', (o) => o !== undefined, 20)).rejects.toThrow(
      /did not reach the expected state/,
    );
  });
});
