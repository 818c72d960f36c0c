import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1Namespace,
  type V1Pod,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeStatusOf } from './api-exception-status';
import { type KubeEmulator, startKubeEmulator } from './start-kube-emulator';

let emulator: KubeEmulator;
let core: CoreV1Api;
let custom: CustomObjectsApi;
let nsCounter = 0;

beforeAll(async () => {
  // No simulation: these tests look at the API server alone.
  emulator = await startKubeEmulator({ kubelet: false });
  core = emulator.client(CoreV1Api);
  custom = emulator.client(CustomObjectsApi);
});
afterAll(() => emulator?.close());

async function freshNamespace(): Promise<string> {
  const name = `crud-${++nsCounter}`;
  await core.createNamespace({ body: { metadata: { name } } });
  return name;
}

const pod = (name: string, labels: Record<string, string> = {}, image = 'nginx:1.25'): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'main', image }] },
});

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return kubeStatusOf(err);
  }
  throw new Error('expected the request to fail');
}

describe('kube emulator: objects', () => {
  it('creates, reads, replaces and deletes a pod with server-owned metadata and defaults', async () => {
    const ns = await freshNamespace();
    const created = await core.createNamespacedPod({ namespace: ns, body: pod('web', { app: 'web' }) });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.generation).toBe(1);
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.status?.phase).toBe('Pending');
    expect(created.status?.qosClass).toBe('BestEffort');
    expect(created.spec?.restartPolicy).toBe('Always');
    expect(created.spec?.serviceAccountName).toBe('default');
    expect(created.spec?.containers[0]?.imagePullPolicy).toBe('IfNotPresent');

    const read = await core.readNamespacedPod({ name: 'web', namespace: ns });
    expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);

    read.metadata!.labels = { app: 'web', tier: 'front' };
    const replaced = await core.replaceNamespacedPod({ name: 'web', namespace: ns, body: read });
    expect(replaced.metadata?.labels).toEqual({ app: 'web', tier: 'front' });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));
    expect(replaced.metadata?.generation).toBe(1);

    const deleted = await core.deleteNamespacedPod({ name: 'web', namespace: ns });
    expect(deleted.metadata?.name).toBe('web');
    expect((await failure(core.readNamespacedPod({ name: 'web', namespace: ns }))).code).toBe(404);
  });

  it('answers 404, 409 AlreadyExists and 409 Conflict (stale resourceVersion) with Status objects', async () => {
    const ns = await freshNamespace();
    const missing = await failure(core.readNamespacedPod({ name: 'nope', namespace: ns }));
    expect(missing).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'pods "nope" not found',
    });

    const first = await core.createNamespacedPod({ namespace: ns, body: pod('dup') });
    const exists = await failure(core.createNamespacedPod({ namespace: ns, body: pod('dup') }));
    expect(exists).toMatchObject({ reason: 'AlreadyExists', code: 409, details: { name: 'dup', kind: 'pods' } });

    await core.patchNamespacedPod(
      { name: 'dup', namespace: ns, body: { metadata: { labels: { bumped: 'yes' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const stale = await failure(core.replaceNamespacedPod({ name: 'dup', namespace: ns, body: first }));
    expect(stale).toMatchObject({ reason: 'Conflict', code: 409 });
    expect(stale.message).toContain('the object has been modified');

    const stalePatch = await failure(
      core.patchNamespacedPod(
        {
          name: 'dup',
          namespace: ns,
          body: { metadata: { resourceVersion: first.metadata?.resourceVersion, labels: { x: 'y' } } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
    expect(stalePatch.code).toBe(409);
  });

  it('refuses invalid objects with 422 Invalid naming the field', async () => {
    const ns = await freshNamespace();
    const noImage = await failure(
      core.createNamespacedPod({
        namespace: ns,
        body: { metadata: { name: 'bad' }, spec: { containers: [{ name: 'main' }] } },
      }),
    );
    expect(noImage).toMatchObject({
      reason: 'Invalid',
      code: 422,
      message: 'Pod "bad" is invalid: spec.containers[0].image: Required value',
    });
    expect(noImage.details?.causes).toEqual([
      { reason: 'FieldValueRequired', field: 'spec.containers[0].image', message: 'Required value' },
    ]);

    const badType = await failure(
      core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: 'bad' },
          spec: { containers: [{ name: 'main', image: 'x', ports: [{ containerPort: 'http' as never }] }] },
        },
      }),
    );
    expect(badType.code).toBe(422);
    expect(badType.details?.causes?.[0]?.field).toBe('spec.containers[0].ports[0].containerPort');

    const badName = await failure(core.createNamespacedPod({ namespace: ns, body: pod('Not_A_Name') }));
    expect(badName.code).toBe(422);
    expect(badName.details?.causes?.[0]?.field).toBe('metadata.name');

    const overLimit = await failure(
      core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: 'greedy' },
          spec: {
            containers: [{ name: 'main', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }],
          },
        },
      }),
    );
    expect(overLimit.message).toContain(
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    );

    const unknownMount = await failure(
      core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: 'mounts' },
          spec: { containers: [{ name: 'main', image: 'x', volumeMounts: [{ name: 'ws', mountPath: '/ws' }] }] },
        },
      }),
    );
    expect(unknownMount.message).toContain('spec.containers[0].volumeMounts[0].name: Not found: "ws"');

    const noNamespace = await failure(core.createNamespacedPod({ namespace: 'no-such-ns', body: pod('p') }));
    expect(noNamespace).toMatchObject({ code: 404, message: 'namespaces "no-such-ns" not found' });

    const badLabel = await failure(
      core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: 'l', labels: { 'bad key!': 'v' } },
          spec: { containers: [{ name: 'main', image: 'x' }] },
        },
      }),
    );
    expect(badLabel.details?.causes?.[0]?.field).toBe('metadata.labels');

    const sa = await failure(
      core.createNamespacedPod({
        namespace: ns,
        body: {
          metadata: { name: 'sa' },
          spec: { serviceAccountName: 'robot', containers: [{ name: 'main', image: 'x' }] },
        },
      }),
    );
    expect(sa).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(sa.message).toContain('serviceaccount "robot" not found');
  });

  it('keeps pod specs immutable and status apart from the main resource', async () => {
    const ns = await freshNamespace();
    const created = await core.createNamespacedPod({ namespace: ns, body: pod('p') });
    created.spec!.containers[0]!.command = ['sleep'];
    const immutable = await failure(core.replaceNamespacedPod({ name: 'p', namespace: ns, body: created }));
    expect(immutable.code).toBe(422);
    expect(immutable.message).toContain('pod updates may not change fields');

    const image = await core.patchNamespacedPod(
      { name: 'p', namespace: ns, body: { spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(image.spec?.containers[0]?.image).toBe('nginx:1.27');
    expect(image.metadata?.generation).toBe(2);

    const ignored = await core.patchNamespacedPod(
      { name: 'p', namespace: ns, body: { status: { phase: 'Running' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(ignored.status?.phase).toBe('Pending');
    const status = await core.patchNamespacedPodStatus(
      { name: 'p', namespace: ns, body: { status: { phase: 'Running', podIP: '10.1.2.3' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(status.status).toMatchObject({ phase: 'Running', podIP: '10.1.2.3' });
    expect(status.metadata?.generation).toBe(2);
  });

  it('applies the JSON patch, strategic merge and server-side apply formats', async () => {
    const ns = await freshNamespace();
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'cfg', labels: { a: '1' } }, data: { one: '1', two: '2' } },
    });
    const jsonPatched = await core.patchNamespacedConfigMap({
      name: 'cfg',
      namespace: ns,
      body: [
        { op: 'test', path: '/data/one', value: '1' },
        { op: 'remove', path: '/data/two' },
        { op: 'add', path: '/data/three', value: '3' },
      ],
    });
    expect(jsonPatched.data).toEqual({ one: '1', three: '3' });
    const failedTest = await failure(
      core.patchNamespacedConfigMap({
        name: 'cfg',
        namespace: ns,
        body: [{ op: 'test', path: '/data/one', value: 'x' }],
      }),
    );
    expect(failedTest.code).toBe(422);

    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'p' },
        spec: {
          containers: [
            { name: 'a', image: 'x:1', env: [{ name: 'A', value: '1' }] },
            { name: 'b', image: 'y:1' },
          ],
        },
      },
    });
    const merged = await core.patchNamespacedPod(
      { name: 'p', namespace: ns, body: { spec: { containers: [{ name: 'b', image: 'y:2' }] } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(merged.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['a=x:1', 'b=y:2']);

    const applied = await core.patchNamespacedConfigMap(
      {
        name: 'applied',
        namespace: ns,
        fieldManager: 'volundr',
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: '1', b: '2' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    expect(applied.data).toEqual({ a: '1', b: '2' });
    const reapplied = await core.patchNamespacedConfigMap(
      {
        name: 'applied',
        namespace: ns,
        fieldManager: 'volundr',
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: '1' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    expect(reapplied.data).toEqual({ a: '1' });
  });

  it('lists with label selectors (equality and set-based), field selectors and pages', async () => {
    const ns = await freshNamespace();
    const specs: Array<[string, Record<string, string>]> = [
      ['a', { app: 'x', tier: 'web' }],
      ['b', { app: 'x', tier: 'db' }],
      ['c', { app: 'y' }],
      ['d', { app: 'x', legacy: 'true' }],
    ];
    for (const [name, labels] of specs) await core.createNamespacedPod({ namespace: ns, body: pod(name, labels) });
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await core.listNamespacedPod({ namespace: ns, labelSelector, fieldSelector })).items.map(
        (p) => p.metadata?.name,
      );

    expect(await names('app=x')).toEqual(['a', 'b', 'd']);
    expect(await names('app==x,tier!=db')).toEqual(['a', 'd']);
    expect(await names('tier in (web,db)')).toEqual(['a', 'b']);
    expect(await names('app notin (y),!legacy')).toEqual(['a', 'b']);
    expect(await names('legacy')).toEqual(['d']);
    expect(await names(undefined, 'metadata.name=c')).toEqual(['c']);
    expect(await names(undefined, 'status.phase=Pending,metadata.name!=a')).toEqual(['b', 'c', 'd']);
    expect((await failure(names(undefined, 'spec.bogus=1'))).message).toBe('field label not supported: spec.bogus');
    expect((await failure(names('app in (x'))).code).toBe(400);

    const page1 = await core.listNamespacedPod({ namespace: ns, limit: 3 });
    expect(page1.items.map((p) => p.metadata?.name)).toEqual(['a', 'b', 'c']);
    expect(page1.metadata?.remainingItemCount).toBe(1);
    const page2 = await core.listNamespacedPod({ namespace: ns, limit: 3, _continue: page1.metadata?._continue });
    expect(page2.items.map((p) => p.metadata?.name)).toEqual(['d']);
    expect(page2.metadata?._continue).toBeUndefined();

    const all = await core.listPodForAllNamespaces({ labelSelector: 'app=y' });
    expect(all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toContain(`${ns}/c`);

    await core.deleteCollectionNamespacedPod({ namespace: ns, labelSelector: 'app=x' });
    expect(await names()).toEqual(['c']);
  });

  it('serves services, claims, secrets, config maps, service accounts, events and network policies', async () => {
    const ns = await freshNamespace();
    const svc = await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
    });
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\./);
    expect(svc.spec?.type).toBe('ClusterIP');
    expect(
      (
        await failure(
          core.createNamespacedService({
            namespace: ns,
            body: { metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } },
          }),
        )
      ).code,
    ).toBe(422);

    const pvc = await core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: {
        metadata: { name: 'ws' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    expect(pvc.status?.phase).toBe('Pending');
    expect(pvc.spec?.storageClassName).toBe('standard');
    const noSize = await failure(
      core.createNamespacedPersistentVolumeClaim({
        namespace: ns,
        body: { metadata: { name: 'x' }, spec: { accessModes: ['ReadWriteOnce'] } },
      }),
    );
    expect(noSize.message).toContain('spec.resources[storage]: Required value');

    const secret = await core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: 'git' }, stringData: { token: 'abc' } },
    });
    expect(secret.data).toEqual({ token: Buffer.from('abc').toString('base64') });
    expect(secret.type).toBe('Opaque');
    expect((await core.deleteNamespacedSecret({ name: 'git', namespace: ns })).status).toBe('Success');

    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'c' }, data: { k: 'v' } } });
    const accounts = await core.listNamespacedServiceAccount({ namespace: ns });
    expect(accounts.items.map((a) => a.metadata?.name)).toEqual(['default']);
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'session' } } });
    await core.createNamespacedEvent({
      namespace: ns,
      body: {
        metadata: { name: 'e1' },
        involvedObject: { kind: 'Pod', name: 'p', namespace: ns },
        reason: 'Test',
        message: 'hello',
        type: 'Normal',
      },
    });
    const events = await core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.name=p' });
    expect(events.items.map((e) => e.reason)).toEqual(['Test']);

    const net = emulator.client(NetworkingV1Api);
    const policy = await net.createNamespacedNetworkPolicy({
      namespace: ns,
      body: {
        metadata: { name: 'isolate' },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          policyTypes: ['Ingress'],
          ingress: [{ _from: [{ namespaceSelector: { matchLabels: { gw: 'yes' } } }] }],
        },
      },
    });
    expect(policy.spec?.ingress?.[0]?._from?.[0]?.namespaceSelector?.matchLabels).toEqual({ gw: 'yes' });
    expect((await net.listNamespacedNetworkPolicy({ namespace: ns })).items).toHaveLength(1);
  });

  it('serves the custom resources through CustomObjectsApi, validated with the gateway-api and flux-cd models', async () => {
    const ns = await freshNamespace();
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 's-1', labels: { session: 's1' } },
      spec: {
        parentRefs: [{ name: 'volundr', namespace: 'gateway' }],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/s/1' } }], backendRefs: [{ name: 's-1', port: 8080 }] },
        ],
      },
    };
    const gw = { group: 'gateway.networking.k8s.io', version: 'v1', namespace: ns, plural: 'httproutes' };
    await custom.createNamespacedCustomObject({ ...gw, body: route });
    const listed = await custom.listNamespacedCustomObject({ ...gw, labelSelector: 'session=s1' });
    expect(listed.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['s-1']);
    const badRoute = await failure(
      custom.createNamespacedCustomObject({
        ...gw,
        body: {
          ...route,
          metadata: { name: 's-2' },
          spec: { rules: [{ backendRefs: [{ name: 'x', port: 'http' }] }] },
        },
      }),
    );
    expect(badRoute.code).toBe(422);
    expect(badRoute.details?.causes?.some((c) => c.field === 'spec.rules[0].backendRefs[0].port')).toBe(true);
    const smp = await failure(
      custom.patchNamespacedCustomObject(
        { ...gw, name: 's-1', body: { metadata: { labels: { a: 'b' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(smp.code).toBe(415);
    const patched = await custom.patchNamespacedCustomObject(
      { ...gw, name: 's-1', body: { metadata: { labels: { a: 'b' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.metadata.labels).toEqual({ session: 's1', a: 'b' });

    const hr = { group: 'helm.toolkit.fluxcd.io', version: 'v2', namespace: ns, plural: 'helmreleases' };
    const release = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'session-1' },
      spec: {
        interval: '5m',
        chart: { spec: { chart: 'volundr-session', sourceRef: { kind: 'HelmRepository', name: 'volundr' } } },
        values: { a: 1 },
      },
    };
    const createdRelease = await custom.createNamespacedCustomObject({ ...hr, body: release });
    expect(createdRelease.metadata.generation).toBe(1);
    const badRelease = await failure(
      custom.createNamespacedCustomObject({
        ...hr,
        body: { ...release, metadata: { name: 'r2' }, spec: { interval: 5 } },
      }),
    );
    expect(badRelease.code).toBe(422);
    expect(badRelease.message).toContain('either chart or chartRef must be set');
    const withStatus = await custom.patchNamespacedCustomObjectStatus(
      { ...hr, name: 'session-1', body: { status: { observedGeneration: 1 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(withStatus.status).toEqual({ observedGeneration: 1 });
    const upgraded = await custom.patchNamespacedCustomObject(
      { ...hr, name: 'session-1', body: { spec: { values: { a: 2 } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(upgraded.metadata.generation).toBe(2);

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
    const spc = { group: 'secrets-store.csi.x-k8s.io', version: 'v1', namespace: ns, plural: 'secretproviderclasses' };
    await custom.createNamespacedCustomObject({
      ...spc,
      body: {
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClass',
        metadata: { name: 'vault' },
        spec: { provider: 'vault', parameters: { roleName: 'session' } },
      },
    });
    const badSpc = await failure(
      custom.createNamespacedCustomObject({
        ...spc,
        body: {
          apiVersion: 'secrets-store.csi.x-k8s.io/v1',
          kind: 'SecretProviderClass',
          metadata: { name: 'x' },
          spec: {},
        },
      }),
    );
    expect(badSpc.details?.causes?.[0]?.field).toBe('spec.provider');
    await custom.deleteNamespacedCustomObject({ ...spc, name: 'vault' });
    expect((await failure(custom.getNamespacedCustomObject({ ...spc, name: 'vault' }))).code).toBe(404);
  });

  it('works with KubernetesObjectApi (discovery-driven) and reports dropped unknown fields', async () => {
    const ns = await freshNamespace();
    const objects = KubernetesObjectApi.makeApiClient(emulator.kubeConfig);
    await objects.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'obj', namespace: ns },
      data: { a: '1' },
    } as never);
    const read = await objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace: ns } });
    expect((read as unknown as { data: unknown }).data).toEqual({ a: '1' });
    const list = await objects.list('v1', 'ConfigMap', ns);
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['obj']);

    // client-node drops unknown fields of typed bodies itself, so this request is sent raw.
    const before = emulator.warnings.length;
    const response = await fetch(`${emulator.url}/api/v1/namespaces/${ns}/pods`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        metadata: { name: 'typo' },
        spec: { containers: [{ name: 'main', image: 'x', imagePullPolice: 'Always' }] },
      }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('warning')).toBe('299 - "unknown field \\"spec.containers[0].imagePullPolice\\""');
    expect(emulator.warnings.slice(before).map((w) => w.message)).toEqual([
      'unknown field "spec.containers[0].imagePullPolice"',
    ]);
    expect(emulator.store.get('pods', ns, 'typo')?.spec).not.toHaveProperty('containers.0.imagePullPolice');
    const strict = await fetch(`${emulator.url}/api/v1/namespaces/${ns}/pods?fieldValidation=Strict`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        metadata: { name: 'typo2' },
        spec: { containers: [{ name: 'main', image: 'x', imagePullPolice: 'Always' }] },
      }),
    });
    expect(strict.status).toBe(400);
    expect(await strict.json()).toMatchObject({
      reason: 'BadRequest',
      message: 'strict decoding error: unknown field "spec.containers[0].imagePullPolice"',
    });

    await objects.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace: ns } });
    expect(emulator.store.get('configmaps', ns, 'obj')).toBeUndefined();
  });

  it('answers malformed requests with 4xx Status objects, never a 500', async () => {
    const ns = await freshNamespace();
    const cases: Array<[string, string, string, string | undefined, number]> = [
      ['POST', `/api/v1/namespaces/${ns}/pods`, 'application/json', '[]', 400],
      ['POST', `/api/v1/namespaces/${ns}/pods`, 'application/json', '"text"', 400],
      ['POST', `/api/v1/namespaces/${ns}/pods`, 'application/json', 'null', 400],
      ['POST', `/api/v1/namespaces/${ns}/pods`, 'application/json', '{"metadata": []}', 400],
      ['POST', `/api/v1/namespaces/${ns}/pods`, 'application/json', '{not json', 400],
      ['POST', `/api/v1/namespaces/${ns}/pods`, 'application/json', '', 400],
      [
        'POST',
        `/api/v1/namespaces/${ns}/pods`,
        'application/json',
        '{"metadata": {"name": 5}, "spec": {"containers": [{"name": "a", "image": "x"}]}}',
        422,
      ],
      [
        'POST',
        `/api/v1/namespaces/${ns}/pods`,
        'application/json',
        '{"metadata": {"name": "x", "labels": "no"}, "spec": "no"}',
        422,
      ],
      [
        'POST',
        `/api/v1/namespaces/${ns}/pods`,
        'application/json',
        '{"kind": "Service", "metadata": {"name": "x"}}',
        400,
      ],
      [
        'POST',
        `/api/v1/namespaces/${ns}/pods`,
        'application/json',
        '{"metadata": {"name": "x", "namespace": "other"}}',
        400,
      ],
      ['POST', `/api/v1/namespaces/${ns}/pods`, 'application/x-protobuf', '{}', 415],
      [
        'POST',
        `/api/v1/namespaces/${ns}/pods`,
        'application/json',
        '{"metadata": {"name": "x", "ownerReferences": "me"}, "spec": {"containers": [{"name": "a", "image": "x"}]}}',
        422,
      ],
      ['PATCH', `/api/v1/namespaces/${ns}/pods/none`, 'application/merge-patch+json', '{}', 404],
      ['PATCH', `/api/v1/namespaces/default/serviceaccounts/default`, 'text/plain', '{}', 415],
      [
        'PATCH',
        `/api/v1/namespaces/default/serviceaccounts/default`,
        'application/json-patch+json',
        '{"op": "add"}',
        400,
      ],
      [
        'PATCH',
        `/api/v1/namespaces/default/serviceaccounts/default`,
        'application/json-patch+json',
        '[{"op": "jump", "path": "/x"}]',
        400,
      ],
      [
        'PATCH',
        `/api/v1/namespaces/default/serviceaccounts/default`,
        'application/json-patch+json',
        '[{"op": "replace", "path": "/nope/deeper", "value": 1}]',
        422,
      ],
      ['PATCH', `/api/v1/namespaces/default/serviceaccounts/default`, 'application/merge-patch+json', '[1]', 400],
      ['PATCH', `/api/v1/namespaces/default/serviceaccounts/default`, 'application/apply-patch+yaml', 'a: [', 400],
      [
        'PATCH',
        `/api/v1/namespaces/default/serviceaccounts/default`,
        'application/apply-patch+yaml',
        'metadata: {name: default}',
        400,
      ],
      [
        'PUT',
        `/api/v1/namespaces/default/serviceaccounts/default`,
        'application/json',
        '{"metadata": {"name": "other"}}',
        400,
      ],
      ['PUT', `/api/v1/namespaces/${ns}/pods`, 'application/json', '{}', 405],
      [
        'DELETE',
        `/api/v1/namespaces/default/serviceaccounts/default`,
        'application/json',
        '{"propagationPolicy": "Sideways"}',
        400,
      ],
      ['GET', `/api/v1/namespaces/${ns}/pods?limit=ten`, 'application/json', undefined, 400],
      ['GET', `/api/v1/namespaces/${ns}/pods?continue=garbage`, 'application/json', undefined, 400],
      ['GET', `/api/v1/namespaces/${ns}/pods?labelSelector=a%20in%20(`, 'application/json', undefined, 400],
      ['GET', `/api/v1/namespaces/${ns}/pods?watch=maybe`, 'application/json', undefined, 400],
      ['GET', `/api/v1/namespaces/${ns}/widgets`, 'application/json', undefined, 404],
      ['GET', `/apis/example.com/v1`, 'application/json', undefined, 404],
      ['GET', `/api/v1/namespaces/${ns}/pods/x/exec`, 'application/json', undefined, 404],
      ['POST', `/api/v1/pods`, 'application/json', '{}', 405],
    ];
    for (const [method, path, contentType, body, expected] of cases) {
      const response = await fetch(`${emulator.url}${path}`, {
        method,
        headers: { 'Content-Type': contentType },
        ...(body !== undefined ? { body } : {}),
      });
      const status = (await response.json()) as { kind: string; code: number; message: string };
      expect({ method, path, body, code: response.status }).toEqual({ method, path, body, code: expected });
      expect(status).toMatchObject({ kind: 'Status', code: expected });
      expect(status.message.length).toBeGreaterThan(0);
    }
  });

  it('generates names, honours dry runs and refuses writes into a missing or terminating namespace', async () => {
    const ns = await freshNamespace();
    const generated = await core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { generateName: 'session-' }, spec: { containers: [{ name: 'main', image: 'x' }] } },
    });
    expect(generated.metadata?.name).toMatch(/^session-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const dry = await core.createNamespacedPod({ namespace: ns, dryRun: 'All', body: pod('dry') });
    expect(dry.metadata?.name).toBe('dry');
    expect(emulator.store.get('pods', ns, 'dry')).toBeUndefined();

    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: {
        metadata: { name: 'held', finalizers: ['volundr.dev/hold'] },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    // The server answers with the Namespace (client-node types the answer as a Status).
    const terminating = (await core.deleteNamespace({ name: ns })) as unknown as V1Namespace;
    expect(terminating.status?.phase).toBe('Terminating');
    const refused = await failure(core.createNamespacedPod({ namespace: ns, body: pod('late') }));
    expect(refused).toMatchObject({ code: 403, reason: 'Forbidden' });
    await emulator.waitFor('pvc', ns, 'held', (o) => o?.metadata.deletionTimestamp !== undefined);
    await core.patchNamespacedPersistentVolumeClaim(
      { name: 'held', namespace: ns, body: { metadata: { finalizers: null } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await emulator.waitFor('namespaces', undefined, ns, (o) => o === undefined);
  });
});
