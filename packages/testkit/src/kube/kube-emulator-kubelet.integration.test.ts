import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type V1Pod,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kubeStatusOf } from './api-exception-status';
import type { StoredObject } from './kube-object';
import { type KubeEmulator, startKubeEmulator } from './start-kube-emulator';

let emulator: KubeEmulator;
let core: CoreV1Api;
let custom: CustomObjectsApi;
let nsCounter = 0;

beforeAll(async () => {
  emulator = await startKubeEmulator();
  core = emulator.client(CoreV1Api);
  custom = emulator.client(CustomObjectsApi);
});
afterEach(() => {
  emulator.kubelet!.clearFailures();
  emulator.kubelet!.setDelays({ scheduleMs: 0, startMs: 0, backOffMs: 0, claimBindMs: 0, releaseMs: 0 });
  expect(emulator.controllerErrors).toEqual([]);
});
afterAll(() => emulator?.close());

async function freshNamespace(): Promise<string> {
  const name = `kubelet-${++nsCounter}`;
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

const pod = (
  name: string,
  labels: Record<string, string> = {},
  extra: Partial<NonNullable<V1Pod['spec']>> = {},
): V1Pod => ({
  metadata: { name, labels },
  spec: {
    containers: [
      { name: 'broker', image: 'ghcr.io/volundr/session:1.0' },
      { name: 'ttyd', image: 'tsl0922/ttyd:1.7' },
    ],
    ...extra,
  },
});

type Status = NonNullable<V1Pod['status']>;
const statusOf = (o: StoredObject | undefined) => (o?.status ?? {}) as Status;
const waiting = (s: Status, container = 'broker') =>
  s.containerStatuses?.find((c) => c.name === container)?.state?.waiting?.reason;
const conditionOf = (s: Status, type: string) => s.conditions?.find((c) => c.type === type);
const reads = (ns: string, name: string) => core.readNamespacedPod({ name, namespace: ns });
const eventsFor = async (ns: string, name: string) =>
  (await core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${name}` })).items.map(
    (e) => `${e.type} ${e.reason}: ${e.message}`,
  );

describe('kube emulator: simulated kubelet', () => {
  it('moves a pod Pending → Running with Ready conditions, ready containers, a node and an IP', async () => {
    const ns = await freshNamespace();
    const list = await core.listNamespacedPod({ namespace: ns });
    const phases: string[] = [];
    const request = await new Watch(emulator.kubeConfig).watch(
      `/api/v1/namespaces/${ns}/pods`,
      { resourceVersion: list.metadata?.resourceVersion },
      (_type, o: V1Pod) =>
        phases.push(
          `${o.status?.phase}${o.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? '+ready' : ''}`,
        ),
      () => undefined,
    );
    await core.createNamespacedPod({ namespace: ns, body: pod('s1', { session: 's1' }) });
    await emulator.waitFor('pods', ns, 's1', (o) => statusOf(o).phase === 'Running');
    const running = await reads(ns, 's1');
    expect(running.spec?.nodeName).toMatch(/^emulator-node-\d$/);
    expect(running.status?.podIP).toMatch(/^10\.244\./);
    expect(running.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    expect(
      running.status?.containerStatuses?.map((c) => [c.name, c.ready, c.started, Boolean(c.state?.running)]),
    ).toEqual([
      ['broker', true, true, true],
      ['ttyd', true, true, true],
    ]);
    await emulator.settle();
    request.abort();
    expect(phases.at(0)).toBe('Pending');
    expect(phases.at(-1)).toBe('Running+ready');
    expect(await eventsFor(ns, 's1')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Normal Scheduled: Successfully assigned .* to emulator-node-\d$/),
        'Normal Started: Started container broker',
      ]),
    );
  });

  it('waits for configured delays (timers only then)', async () => {
    const ns = await freshNamespace();
    emulator.kubelet!.setDelays({ startMs: 80 });
    const started = performance.now();
    await core.createNamespacedPod({ namespace: ns, body: pod('slow') });
    const scheduled = await emulator.waitFor(
      'pods',
      ns,
      'slow',
      (o) => conditionOf(statusOf(o), 'PodScheduled')?.status === 'True',
    );
    expect(statusOf(scheduled).phase).toBe('Pending');
    expect(waiting(statusOf(scheduled))).toBe('ContainerCreating');
    await emulator.waitFor('pods', ns, 'slow', (o) => statusOf(o).phase === 'Running');
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('injects an image pull error: ErrImagePull, then ImagePullBackOff', async () => {
    const ns = await freshNamespace();
    emulator.kubelet!.failPods({ namespace: ns, labels: { image: 'bad' } }, { type: 'ImagePullError' });
    await core.createNamespacedPod({ namespace: ns, body: pod('p', { image: 'bad' }) });
    await emulator.waitFor('pods', ns, 'p', (o) => waiting(statusOf(o)) === 'ImagePullBackOff');
    const read = await reads(ns, 'p');
    expect(read.status?.phase).toBe('Pending');
    expect(conditionOf(read.status!, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [broker]',
    });
    expect(read.status?.containerStatuses?.[0]?.state?.waiting?.message).toBe(
      'Back-off pulling image "ghcr.io/volundr/session:1.0"',
    );
    const events = await eventsFor(ns, 'p');
    expect(events).toContain('Warning Failed: Error: ErrImagePull');
    expect(events.some((e) => e.startsWith('Warning Failed: Failed to pull image "ghcr.io/volundr/session:1.0"'))).toBe(
      true,
    );
  });

  it('injects an unschedulable pod, and schedules it once the failure is removed', async () => {
    const ns = await freshNamespace();
    const rule = emulator.kubelet!.failPods({ namespace: ns, name: 'big' }, { type: 'Unschedulable' });
    await core.createNamespacedPod({ namespace: ns, body: pod('big') });
    const stuck = await emulator.waitFor(
      'pods',
      ns,
      'big',
      (o) => conditionOf(statusOf(o), 'PodScheduled')?.status === 'False',
    );
    expect(conditionOf(statusOf(stuck), 'PodScheduled')).toMatchObject({ reason: 'Unschedulable' });
    expect(conditionOf(statusOf(stuck), 'PodScheduled')?.message).toContain(
      '0/3 nodes are available: 3 Insufficient cpu.',
    );
    expect((await reads(ns, 'big')).spec?.nodeName).toBeUndefined();
    expect((await eventsFor(ns, 'big'))[0]).toMatch(/^Warning FailedScheduling: 0\/3 nodes are available/);
    rule.remove();
    await emulator.waitFor('pods', ns, 'big', (o) => statusOf(o).phase === 'Running');
  });

  it('injects CrashLoopBackOff and OOMKilled as a kubelet reports them', async () => {
    const ns = await freshNamespace();
    emulator.kubelet!.failPods(
      { namespace: ns, name: 'crash' },
      { type: 'CrashLoopBackOff', exitCode: 2, message: 'skuld: cannot bind :8080' },
    );
    emulator.kubelet!.failPods({ namespace: ns, name: 'oom' }, { type: 'OOMKilled', container: 'ttyd' });
    await core.createNamespacedPod({ namespace: ns, body: pod('crash') });
    await core.createNamespacedPod({ namespace: ns, body: pod('oom') });

    await emulator.waitFor('pods', ns, 'crash', (o) => waiting(statusOf(o)) === 'CrashLoopBackOff');
    const crash = (await reads(ns, 'crash')).status!;
    expect(crash.phase).toBe('Running');
    const broker = crash.containerStatuses![0]!;
    expect(broker).toMatchObject({
      ready: false,
      restartCount: 1,
      lastState: { terminated: { reason: 'Error', exitCode: 2, message: 'skuld: cannot bind :8080' } },
    });
    expect(conditionOf(crash, 'Ready')?.status).toBe('False');
    expect(await core.readNamespacedPodLog({ name: 'crash', namespace: ns, container: 'broker' })).toBe(
      'skuld: cannot bind :8080\n',
    );

    await emulator.waitFor('pods', ns, 'oom', (o) => waiting(statusOf(o), 'ttyd') === 'CrashLoopBackOff');
    const ttyd = (await reads(ns, 'oom')).status!.containerStatuses!.find((c) => c.name === 'ttyd')!;
    expect(ttyd.lastState?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect((await reads(ns, 'oom')).status!.containerStatuses!.find((c) => c.name === 'broker')?.ready).toBe(true);

    emulator.kubelet!.failPods({ namespace: ns, name: 'once' }, { type: 'OOMKilled' });
    await core.createNamespacedPod({ namespace: ns, body: pod('once', {}, { restartPolicy: 'Never' }) });
    const failed = await emulator.waitFor('pods', ns, 'once', (o) => statusOf(o).phase === 'Failed');
    expect(statusOf(failed).containerStatuses?.[0]?.state?.terminated?.reason).toBe('OOMKilled');
  });

  it('injects an init container failure and a never-ready container', async () => {
    const ns = await freshNamespace();
    emulator.kubelet!.failPods(
      { namespace: ns, name: 'clone' },
      { type: 'InitContainerError', message: 'fatal: repository not found' },
    );
    emulator.kubelet!.failPods({ namespace: ns, name: 'unready' }, { type: 'NotReady', container: 'ttyd' });
    await core.createNamespacedPod({
      namespace: ns,
      body: pod('clone', {}, { initContainers: [{ name: 'git-clone', image: 'alpine/git:2.45' }] }),
    });
    await core.createNamespacedPod({ namespace: ns, body: pod('unready') });
    const clone = await emulator.waitFor(
      'pods',
      ns,
      'clone',
      (o) => statusOf(o).initContainerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff',
    );
    expect(statusOf(clone).phase).toBe('Pending');
    expect(statusOf(clone).initContainerStatuses?.[0]?.lastState?.terminated).toMatchObject({
      reason: 'Error',
      exitCode: 1,
    });
    expect(conditionOf(statusOf(clone), 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
    });
    expect(waiting(statusOf(clone))).toBe('PodInitializing');
    expect(await core.readNamespacedPodLog({ name: 'clone', namespace: ns, container: 'git-clone' })).toContain(
      'repository not found',
    );

    const unready = await emulator.waitFor('pods', ns, 'unready', (o) => statusOf(o).phase === 'Running');
    expect(conditionOf(statusOf(unready), 'Ready')).toMatchObject({
      status: 'False',
      message: 'containers with unready status: [ttyd]',
    });
  });

  it('breaks and recovers a running pod on demand', async () => {
    const ns = await freshNamespace();
    await core.createNamespacedPod({ namespace: ns, body: pod('live') });
    await emulator.waitFor('pods', ns, 'live', (o) => statusOf(o).phase === 'Running');
    const broken = emulator.kubelet!.failPod(ns, 'live', { type: 'CrashLoopBackOff' });
    expect(waiting(statusOf(broken))).toBe('CrashLoopBackOff');
    const recovered = emulator.kubelet!.recoverPod(ns, 'live');
    expect(conditionOf(statusOf(recovered), 'Ready')?.status).toBe('True');
    expect(statusOf(recovered).containerStatuses?.[0]?.restartCount).toBe(1);
  });

  it('binds claims, holds pods until their claim binds, and injects a claim that stays Pending', async () => {
    const ns = await freshNamespace();
    emulator.kubelet!.setDelays({ claimBindMs: 40 });
    const withClaim = pod('uses-ws', {}, { volumes: [{ name: 'ws', persistentVolumeClaim: { claimName: 'ws' } }] });
    withClaim.spec!.containers[0]!.volumeMounts = [{ name: 'ws', mountPath: '/workspace' }];
    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: {
        metadata: { name: 'ws' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
      },
    });
    await core.createNamespacedPod({ namespace: ns, body: withClaim });
    const held = await emulator.waitFor(
      'pods',
      ns,
      'uses-ws',
      (o) => conditionOf(statusOf(o), 'PodScheduled')?.status === 'False',
    );
    expect(conditionOf(statusOf(held), 'PodScheduled')?.message).toContain(
      'pod has unbound immediate PersistentVolumeClaims',
    );
    await emulator.waitFor('pods', ns, 'uses-ws', (o) => statusOf(o).phase === 'Running');
    const claim = await core.readNamespacedPersistentVolumeClaim({ name: 'ws', namespace: ns });
    expect(claim.status).toMatchObject({
      phase: 'Bound',
      capacity: { storage: '5Gi' },
      accessModes: ['ReadWriteOnce'],
    });
    expect(claim.spec?.volumeName).toBe(`pvc-${claim.metadata?.uid}`);

    emulator.kubelet!.setDelays({ claimBindMs: 0 });
    emulator.kubelet!.failClaims(
      { namespace: ns, name: 'home' },
      { type: 'ProvisioningFailed', message: 'storageclass.storage.k8s.io "fast" not found' },
    );
    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: {
        metadata: { name: 'home' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    await emulator.settle();
    expect((await core.readNamespacedPersistentVolumeClaim({ name: 'home', namespace: ns })).status?.phase).toBe(
      'Pending',
    );
    expect(await eventsFor(ns, 'home')).toEqual([
      'Warning ProvisioningFailed: storageclass.storage.k8s.io "fast" not found',
    ]);
  });

  it('serves container logs and refuses them for a container that has not started', async () => {
    const ns = await freshNamespace();
    emulator.kubelet!.setDelays({ startMs: 10_000 });
    await core.createNamespacedPod({ namespace: ns, body: pod('logs') });
    await emulator.waitFor('pods', ns, 'logs', (o) => conditionOf(statusOf(o), 'PodScheduled')?.status === 'True');
    try {
      await core.readNamespacedPodLog({ name: 'logs', namespace: ns, container: 'broker' });
      throw new Error('expected 400');
    } catch (err) {
      expect(kubeStatusOf(err).message).toBe('container "broker" in pod "logs" is waiting to start: ContainerCreating');
    }
    emulator.kubelet!.recoverPod(ns, 'logs');
    // The 10 s start timer of the earlier course was cancelled: nothing is left to wait for.
    await emulator.settle(1_000);
    emulator.kubelet!.appendLog(ns, 'logs', 'broker', 'listening on :8080\nready');
    expect(await core.readNamespacedPodLog({ name: 'logs', namespace: ns, container: 'broker', tailLines: 1 })).toBe(
      'ready\n',
    );
    try {
      await core.readNamespacedPodLog({ name: 'logs', namespace: ns });
      throw new Error('expected 400');
    } catch (err) {
      expect(kubeStatusOf(err).message).toBe(
        'a container name must be specified for pod logs, choose one of: [broker ttyd]',
      );
    }
  });
});

const hr = (ns: string) => ({ group: 'helm.toolkit.fluxcd.io', version: 'v2', namespace: ns, plural: 'helmreleases' });
const release = (name: string, values: Record<string, unknown> = {}) => ({
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name, labels: { 'volundr.dev/session': name } },
  spec: {
    interval: '5m',
    chart: {
      spec: { chart: 'volundr-session', version: '0.3.0', sourceRef: { kind: 'HelmRepository', name: 'volundr' } },
    },
    values: { podLabels: { 'volundr.dev/session': name }, ...values },
  },
});
const readyOf = (o: StoredObject | undefined) =>
  (
    (o?.status as { conditions?: Array<{ type: string; status: string; reason: string; message: string }> } | undefined)
      ?.conditions ?? []
  ).find((c) => c.type === 'Ready');

async function withRepository(ns: string) {
  await custom.createNamespacedCustomObject({
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    namespace: ns,
    plural: 'helmrepositories',
    body: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: 'volundr' },
      spec: { interval: '1h', url: 'https://charts.example' },
    },
  });
}

describe('kube emulator: simulated Flux', () => {
  it('installs a HelmRelease: renders a labelled pod, waits for it, then Ready=True; upgrades on change; uninstalls on delete', async () => {
    const ns = await freshNamespace();
    await withRepository(ns);
    await custom.createNamespacedCustomObject({
      ...hr(ns),
      body: release('s-1', { image: { repository: 'ghcr.io/volundr/session', tag: '1.2.0' } }),
    });
    const ready = await emulator.waitFor('helmreleases', ns, 's-1', (o) => readyOf(o)?.status === 'True');
    expect(readyOf(ready)).toMatchObject({
      reason: 'InstallSucceeded',
      message: `Helm install succeeded for release ${ns}/s-1.v1 with chart volundr-session@0.3.0`,
    });
    expect(ready?.metadata.finalizers).toEqual(['finalizers.fluxcd.io']);
    const repo = emulator.store.get('helmrepositories', ns, 'volundr');
    expect(readyOf(repo)?.status).toBe('True');

    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'volundr.dev/session=s-1' });
    expect(pods.items.map((p) => p.metadata?.name)).toEqual(['s-1']);
    const rendered = pods.items[0]!;
    expect(rendered.metadata?.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'Helm',
      'helm.toolkit.fluxcd.io/name': 's-1',
    });
    expect(rendered.spec?.containers[0]?.image).toBe('ghcr.io/volundr/session:1.2.0');
    expect(rendered.status?.phase).toBe('Running');

    await custom.patchNamespacedCustomObject(
      {
        ...hr(ns),
        name: 's-1',
        body: { spec: { values: { image: { repository: 'ghcr.io/volundr/session', tag: '1.3.0' } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const upgraded = await emulator.waitFor(
      'helmreleases',
      ns,
      's-1',
      (o) => readyOf(o)?.reason === 'UpgradeSucceeded',
    );
    expect(
      (upgraded!.status as { history: Array<{ version: number; status: string }> }).history.map(
        (h) => `${h.version}:${h.status}`,
      ),
    ).toEqual(['2:deployed', '1:superseded']);
    expect(emulator.store.get('pods', ns, 's-1')?.spec).toMatchObject({
      containers: [{ image: 'ghcr.io/volundr/session:1.3.0' }],
    });

    await custom.deleteNamespacedCustomObject({ ...hr(ns), name: 's-1' });
    await emulator.waitFor('helmreleases', ns, 's-1', (o) => o === undefined);
    expect(emulator.store.list('pods', { namespace: ns })).toEqual([]);
  });

  it('injects InstallFailed and UpgradeFailed with their messages', async () => {
    const ns = await freshNamespace();
    await withRepository(ns);
    emulator.kubelet!.failReleases(
      { namespace: ns, name: 'bad-install' },
      { type: 'InstallFailed', message: "values don't meet the specifications of the schema(s)" },
    );
    await custom.createNamespacedCustomObject({ ...hr(ns), body: release('bad-install') });
    const failed = await emulator.waitFor('helmreleases', ns, 'bad-install', (o) => readyOf(o)?.status === 'False');
    expect(readyOf(failed)).toMatchObject({
      reason: 'InstallFailed',
      message: `Helm install failed for release ${ns}/bad-install with chart volundr-session@0.3.0: values don't meet the specifications of the schema(s)`,
    });
    expect(emulator.store.list('pods', { namespace: ns })).toEqual([]);

    await custom.createNamespacedCustomObject({ ...hr(ns), body: release('bad-upgrade') });
    await emulator.waitFor('helmreleases', ns, 'bad-upgrade', (o) => readyOf(o)?.status === 'True');
    emulator.kubelet!.failReleases(
      { labels: 'volundr.dev/session=bad-upgrade' },
      { type: 'UpgradeFailed', message: 'another operation is in progress' },
    );
    await custom.patchNamespacedCustomObject(
      { ...hr(ns), name: 'bad-upgrade', body: { spec: { values: { extra: 1 } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const upgradeFailed = await emulator.waitFor(
      'helmreleases',
      ns,
      'bad-upgrade',
      (o) => readyOf(o)?.reason === 'UpgradeFailed',
    );
    expect(readyOf(upgradeFailed)?.message).toContain('another operation is in progress');
  });

  it('reports a failing pod as a failed install, a missing source as ArtifactFailed, and an invalid render as InstallFailed', async () => {
    const ns = await freshNamespace();
    emulator.kubelet!.failPods(
      { namespace: ns, labels: { 'volundr.dev/session': 'crashy' } },
      { type: 'CrashLoopBackOff' },
    );
    await custom.createNamespacedCustomObject({ ...hr(ns), body: release('crashy') });
    const noSource = await emulator.waitFor('helmreleases', ns, 'crashy', (o) => readyOf(o)?.status === 'False');
    expect(readyOf(noSource)).toMatchObject({ reason: 'ArtifactFailed' });
    expect(readyOf(noSource)?.message).toContain(`HelmRepository '${ns}/volundr' not found`);

    await withRepository(ns);
    const failed = await emulator.waitFor('helmreleases', ns, 'crashy', (o) => readyOf(o)?.reason === 'InstallFailed');
    expect(readyOf(failed)?.message).toContain('(pod crashy: CrashLoopBackOff)');

    await custom.createNamespacedCustomObject({
      ...hr(ns),
      body: release('broken', { containers: [{ name: 'main' }] }),
    });
    const invalid = await emulator.waitFor('helmreleases', ns, 'broken', (o) => readyOf(o)?.status === 'False');
    expect(readyOf(invalid)?.message).toContain('Pod "broken" is invalid: spec.containers[0].image: Required value');
  });
});
