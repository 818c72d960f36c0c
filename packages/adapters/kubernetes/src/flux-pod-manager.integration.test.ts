import { CustomObjectsApi } from '@kubernetes/client-node';
import { type KubeEmulator, startKubeEmulator } from '@volundr/testkit/kube/start-kube-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFluxPodManager, type FluxPodManager } from './flux-pod-manager';
import { LABELS, sessionKey } from './session-names';
import { helmBinary } from './test/helm-binary';
import { helmChartRenderer } from './test/helm-chart-renderer';
import { describeObjects, objectsOf, type StoredObject, validateObject } from './test/kube-objects';
import { kubeSessionWorld, SESSIONS_NAMESPACE, testRuntime } from './test/kube-session-world';

const NS = SESSIONS_NAMESPACE;
const gitSource = { type: 'git' as const, repo: 'https://git.example.test/acme/app', branch: 'main' };

let emulator: KubeEmulator;
let pods: FluxPodManager;
let world: ReturnType<typeof kubeSessionWorld>;
let chart: ReturnType<typeof helmChartRenderer>;

beforeAll(async () => {
  chart = helmChartRenderer(await helmBinary());
  emulator = await startKubeEmulator({ namespaces: [NS], kubelet: { flux: { render: chart.render } } });
  await emulator.client(CustomObjectsApi).createNamespacedCustomObject({
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    namespace: NS,
    plural: 'helmrepositories',
    body: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: 'volundr', namespace: NS },
      spec: { url: 'oci://registry.example.test/charts', type: 'oci', interval: '1h' },
    },
  });
  pods = createFluxPodManager(
    { ...testRuntime, namespace: NS, chart: { sourceRef: { name: 'volundr' } } },
    {
      kubeConfig: emulator.kubeConfig,
      secretSource: { secretValue: async (ref) => (ref.name === 'git-u-alice' ? 'ghp_fluxtoken' : null) },
      sessionSecrets: {
        brokerReporting: async ({ id }) => ({
          apiUrl: 'https://volundr.example.test',
          token: `report-token-for-${id}`,
        }),
      },
    },
  );
  world = kubeSessionWorld(emulator.kubeConfig, pods, 'f');
  world.reconciler.start();
});

afterAll(async () => {
  await world?.reconciler.stop();
  await pods?.close();
  expect(emulator?.controllerErrors ?? []).toEqual([]);
  await emulator?.close();
  chart?.dispose();
});

const sessionObjects = (sessionId: string) => objectsOf(emulator, NS, `${LABELS.session}=${sessionKey(sessionId)}`);

describe('flux pod manager: the whole lifecycle through the reconciler', () => {
  it('installs the chart, runs, stops to an archived workspace, reuses it, and deletes everything', async () => {
    const session = await world.create({ name: 'flux-life', model: 'claude-sonnet', source: gitSource });
    await world.untilState(session.id, 'running');

    const objects = sessionObjects(session.id);
    expect(describeObjects(objects)).toEqual(
      [
        'ConfigMap/s-f-1-1',
        'HTTPRoute/s-f-1-1',
        'HelmRelease/s-f-1-1',
        'NetworkPolicy/s-f-1-1',
        'PersistentVolumeClaim/s-f-1-workspace',
        'Pod/s-f-1-1',
        'Secret/s-f-1-1-credentials',
        'SecurityPolicy/s-f-1-1',
        'Service/s-f-1-1',
      ].sort(),
    );
    for (const object of objects) validateObject(object);
    const release = objects.find((o) => o.kind === 'HelmRelease') as StoredObject & {
      spec: { values: { spec: { session: { id: string } }; runtime: Record<string, unknown> } };
      status: { conditions: { type: string; status: string; reason: string }[] };
    };
    expect(release.spec.values.spec.session.id).toBe(session.id);
    expect(JSON.stringify(release.spec.values)).not.toContain('ghp_fluxtoken');
    expect(release.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'True', reason: 'InstallSucceeded' }),
    );
    const pod = objects.find((o) => o.kind === 'Pod') as StoredObject & {
      metadata: { annotations: Record<string, string> };
    };
    expect(pod.metadata.annotations['meta.helm.sh/release-name']).toBe('s-f-1-1');
    const secret = objects.find((o) => o.kind === 'Secret') as StoredObject & {
      metadata: { ownerReferences: { kind: string; name: string }[] };
    };
    expect(secret.metadata.ownerReferences[0]).toMatchObject({ kind: 'HelmRelease', name: 's-f-1-1' });

    let mark = world.mark();
    await world.stop(session.id);
    await world.untilState(session.id, 'stopped', mark);
    await emulator.settle();
    const afterStop = sessionObjects(session.id);
    expect(describeObjects(afterStop)).toEqual(['PersistentVolumeClaim/s-f-1-workspace']);
    expect(afterStop[0]!.metadata.labels?.[LABELS.workspaceStatus]).toBe('archived');

    mark = world.mark();
    await world.start(session.id);
    await world.untilState(session.id, 'running', mark);
    expect(describeObjects(sessionObjects(session.id))).toContain('HelmRelease/s-f-1-2');
    expect(describeObjects(sessionObjects(session.id))).toContain('PersistentVolumeClaim/s-f-1-workspace');

    await world.remove(session.id, ['workspace_storage']);
    await emulator.settle();
    expect(describeObjects(sessionObjects(session.id))).toEqual([]);
  });
});

describe('flux pod manager: failures end the session failed with a reason to act on', () => {
  const cases = [
    {
      name: 'a crashing container (the pod says why, not only Helm)',
      inject: (labels: string) =>
        emulator.kubelet!.failPods({ labels }, { type: 'CrashLoopBackOff', container: 'terminal', exitCode: 2 }),
      reason: /Container "terminal" keeps crashing \(CrashLoopBackOff, exit code 2/,
    },
    {
      name: 'an image that cannot be pulled',
      inject: (labels: string) =>
        emulator.kubelet!.failPods({ labels }, { type: 'ImagePullError', container: 'skuld' }),
      reason: /Container "skuld" cannot pull its image/,
    },
    {
      name: 'no node with enough memory',
      inject: (labels: string) =>
        emulator.kubelet!.failPods(
          { labels },
          { type: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient memory.' },
        ),
      reason: /No node can run the session \(not enough memory\)/,
    },
    {
      name: 'a Helm install that fails',
      inject: (labels: string) =>
        emulator.kubelet!.failReleases(
          { labels },
          { type: 'InstallFailed', message: 'admission webhook denied the request' },
        ),
      reason:
        /Flux could not install the session \(InstallFailed: Helm install failed for release volundr-sessions\/s-f-\d+-1 with chart volundr-session@0.1.0: admission webhook denied the request\)/,
    },
  ];

  it.each(cases)('$name', async ({ inject, reason }) => {
    const session = await world.create({
      name: `ff-${Math.random().toString(36).slice(2, 8)}`,
      model: 'claude-sonnet',
      source: gitSource,
      start: false,
    });
    const rule = inject(`${LABELS.session}=${sessionKey(session.id)}`);
    try {
      await world.start(session.id);
      const failed = await world.untilState(session.id, 'failed');
      expect(failed.type === 'state_changed' && failed.data.reason).toMatch(reason);
    } finally {
      rule.remove();
    }
    await world.remove(session.id, ['workspace_storage']);
  });
});
