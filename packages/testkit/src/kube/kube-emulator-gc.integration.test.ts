import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type V1OwnerReference,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeStatusOf } from './api-exception-status';
import { type KubeEmulator, startKubeEmulator } from './start-kube-emulator';

let emulator: KubeEmulator;
let core: CoreV1Api;
let custom: CustomObjectsApi;
let nsCounter = 0;

beforeAll(async () => {
  emulator = await startKubeEmulator({ kubelet: false });
  core = emulator.client(CoreV1Api);
  custom = emulator.client(CustomObjectsApi);
});
afterAll(() => emulator?.close());

async function freshNamespace(): Promise<string> {
  const name = `gc-${++nsCounter}`;
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const gone = (o: unknown) => o === undefined;

async function owner(ns: string, name: string): Promise<V1OwnerReference> {
  const cm = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name } } });
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name,
    uid: cm.metadata!.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

async function dependents(ns: string, refs: V1OwnerReference[], suffix = '') {
  const ownerReferences = refs;
  await core.createNamespacedService({
    namespace: ns,
    body: { metadata: { name: `svc${suffix}`, ownerReferences }, spec: { ports: [{ port: 80 }] } },
  });
  await core.createNamespacedPersistentVolumeClaim({
    namespace: ns,
    body: {
      metadata: { name: `ws${suffix}`, ownerReferences },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  });
  await custom.createNamespacedCustomObject({
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespace: ns,
    plural: 'httproutes',
    body: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `route${suffix}`, ownerReferences },
      spec: { parentRefs: [{ name: 'gw' }] },
    },
  });
}

describe('kube emulator: garbage collection and finalizers', () => {
  it('deletes the dependents of a deleted owner (background propagation)', async () => {
    const ns = await freshNamespace();
    await dependents(ns, [await owner(ns, 'session')]);
    await core.deleteNamespacedConfigMap({ name: 'session', namespace: ns });
    await emulator.waitFor('services', ns, 'svc', gone);
    await emulator.waitFor('pvc', ns, 'ws', gone);
    await emulator.waitFor('httproutes', ns, 'route', gone);
    expect(emulator.store.list('configmaps', { namespace: ns })).toEqual([]);
  });

  it('keeps a dependent that still has a live owner, dropping the dead reference', async () => {
    const ns = await freshNamespace();
    const a = await owner(ns, 'a');
    const b = await owner(ns, 'b');
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'shared', ownerReferences: [a, { ...b, controller: false }] } },
    });
    await core.deleteNamespacedConfigMap({ name: 'a', namespace: ns });
    const shared = await emulator.waitFor('configmaps', ns, 'shared', (o) => o?.metadata.ownerReferences?.length === 1);
    expect(shared?.metadata.ownerReferences?.[0]?.name).toBe('b');
  });

  it('collects an object created with an owner that does not exist', async () => {
    const ns = await freshNamespace();
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: {
        metadata: {
          name: 'orphaned',
          ownerReferences: [
            { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' },
          ],
        },
      },
    });
    await emulator.waitFor('configmaps', ns, 'orphaned', gone);
  });

  it('foreground deletion removes dependents before the owner, and waits for their finalizers', async () => {
    const ns = await freshNamespace();
    const ref = await owner(ns, 'session');
    await dependents(ns, [ref]);
    await core.patchNamespacedService(
      { name: 'svc', namespace: ns, body: { metadata: { finalizers: ['volundr.dev/hold'] } } },
      mergePatch,
    );
    await core.deleteNamespacedConfigMap({ name: 'session', namespace: ns, propagationPolicy: 'Foreground' });
    const held = await emulator.waitFor(
      'configmaps',
      ns,
      'session',
      (o) => o?.metadata.deletionTimestamp !== undefined,
    );
    expect(held?.metadata.finalizers).toContain('foregroundDeletion');
    await emulator.waitFor('pvc', ns, 'ws', gone);
    await emulator.waitFor('httproutes', ns, 'route', gone);
    await emulator.settle();
    expect(emulator.store.get('configmaps', ns, 'session')).toBeDefined();

    await core.patchNamespacedService(
      { name: 'svc', namespace: ns, body: { metadata: { finalizers: null } } },
      mergePatch,
    );
    await emulator.waitFor('services', ns, 'svc', gone);
    await emulator.waitFor('configmaps', ns, 'session', gone);
  });

  it('orphan deletion keeps the dependents and clears their owner references', async () => {
    const ns = await freshNamespace();
    await dependents(ns, [await owner(ns, 'session')]);
    await core.deleteNamespacedConfigMap({ name: 'session', namespace: ns, propagationPolicy: 'Orphan' });
    await emulator.waitFor('configmaps', ns, 'session', gone);
    await emulator.settle();
    for (const [resource, name] of [
      ['services', 'svc'],
      ['pvc', 'ws'],
      ['httproutes', 'route'],
    ] as const)
      expect(emulator.store.get(resource, ns, name)?.metadata.ownerReferences).toBeUndefined();
  });

  it('honours finalizers: deletion marks the object, it stays until they are removed, none can be added', async () => {
    const ns = await freshNamespace();
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'kept', finalizers: ['volundr.dev/hold'] } },
    });
    await core.deleteNamespacedConfigMap({ name: 'kept', namespace: ns });
    const marked = await core.readNamespacedConfigMap({ name: 'kept', namespace: ns });
    expect(marked.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(marked.metadata?.finalizers).toEqual(['volundr.dev/hold']);
    try {
      await core.patchNamespacedConfigMap(
        { name: 'kept', namespace: ns, body: { metadata: { finalizers: ['volundr.dev/hold', 'extra.io/x'] } } },
        mergePatch,
      );
      throw new Error('expected 422');
    } catch (err) {
      expect(kubeStatusOf(err).message).toContain('no new finalizers can be added if the object is being deleted');
    }
    await core.patchNamespacedConfigMap(
      { name: 'kept', namespace: ns, body: { metadata: { finalizers: [] } } },
      mergePatch,
    );
    await emulator.waitFor('configmaps', ns, 'kept', gone);
  });

  it('protects a claim in use: it stays Terminating until no pod mounts it', async () => {
    const ns = await freshNamespace();
    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: {
        metadata: { name: 'ws' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    await emulator.waitFor(
      'pvc',
      ns,
      'ws',
      (o) => o?.metadata.finalizers?.includes('kubernetes.io/pvc-protection') === true,
    );
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'user' },
        spec: {
          volumes: [{ name: 'ws', persistentVolumeClaim: { claimName: 'ws' } }],
          containers: [{ name: 'main', image: 'x', volumeMounts: [{ name: 'ws', mountPath: '/ws' }] }],
        },
      },
    });
    await core.deleteNamespacedPersistentVolumeClaim({ name: 'ws', namespace: ns });
    await emulator.settle();
    expect(emulator.store.get('pvc', ns, 'ws')?.metadata.deletionTimestamp).toBeDefined();
    await core.deleteNamespacedPod({ name: 'user', namespace: ns });
    await emulator.waitFor('pvc', ns, 'ws', gone);
  });

  it('deleting a namespace deletes what is in it, then the namespace', async () => {
    const ns = await freshNamespace();
    await dependents(ns, [], '-free');
    await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 's' }, stringData: { a: 'b' } } });
    await core.deleteNamespace({ name: ns });
    await emulator.waitFor('namespaces', undefined, ns, gone);
    for (const resource of ['services', 'pvc', 'httproutes', 'secrets', 'serviceaccounts'])
      expect(emulator.store.list(resource, { namespace: ns })).toEqual([]);
  });
});
