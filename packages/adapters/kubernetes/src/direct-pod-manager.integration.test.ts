import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type KubeEmulator, startKubeEmulator } from '@volundr/testkit/kube/start-kube-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesPodManager, type KubernetesPodManager } from './direct-pod-manager';
import { LABELS, sessionKey } from './session-names';
import { describeObjects, objectsOf, type StoredObject, validateObject } from './test/kube-objects';
import { kubeSessionWorld, SESSIONS_NAMESPACE, testRuntime } from './test/kube-session-world';

const run = promisify(execFile);
const NS = SESSIONS_NAMESPACE;
const gitSource = { type: 'git' as const, repo: 'https://git.example.test/acme/app', branch: 'main' };

let emulator: KubeEmulator;
let pods: KubernetesPodManager;
let world: ReturnType<typeof kubeSessionWorld>;

beforeAll(async () => {
  emulator = await startKubeEmulator({ namespaces: [NS] });
  pods = createKubernetesPodManager(
    { ...testRuntime, namespace: NS },
    {
      kubeConfig: emulator.kubeConfig,
      // The broker's report token comes from the API at start (here: a fixed one).
      secretSource: { secretValue: async (ref) => (ref.name === 'git-u-alice' ? 'alice:s3cret-token' : null) },
      sessionSecrets: {
        brokerReporting: async ({ id }) => ({
          apiUrl: 'https://volundr.example.test',
          token: `report-token-for-${id}`,
        }),
      },
    },
  );
  world = kubeSessionWorld(emulator.kubeConfig, pods, 'd');
  world.reconciler.start();
});

afterAll(async () => {
  await world?.reconciler.stop();
  await pods?.close();
  expect(emulator?.controllerErrors ?? []).toEqual([]);
  await emulator?.close();
});

const sessionObjects = (sessionId: string) => objectsOf(emulator, NS, `${LABELS.session}=${sessionKey(sessionId)}`);
const byKind = (objects: StoredObject[], kind: string) => objects.filter((o) => o.kind === kind);

describe('direct pod manager: the whole lifecycle through the reconciler', () => {
  it('starts, runs, stops to an archived workspace, reuses it, and deletes everything', async () => {
    const session = await world.create({
      name: 'lifecycle',
      model: 'claude-sonnet',
      source: gitSource,
      resources: { cpu: '2', memory: '4Gi', gpu: 1 },
      credentialNames: ['anthropic-api-key'],
    });
    await world.untilState(session.id, 'running');

    const objects = sessionObjects(session.id);
    expect(describeObjects(objects)).toEqual(
      [
        'ConfigMap/s-d-1-1',
        'HTTPRoute/s-d-1-1',
        'NetworkPolicy/s-d-1-1',
        'PersistentVolumeClaim/s-d-1-workspace',
        'Pod/s-d-1-1',
        'Secret/s-d-1-1-credentials',
        'SecurityPolicy/s-d-1-1',
        'Service/s-d-1-1',
      ].sort(),
    );
    for (const object of objects) validateObject(object);
    const owner = byKind(objects, 'ConfigMap')[0]!;
    for (const object of objects.filter((o) => o.kind !== 'ConfigMap' && o.kind !== 'PersistentVolumeClaim')) {
      expect((object.metadata as { ownerReferences?: { uid: string }[] }).ownerReferences?.[0]?.uid).toBe(
        owner.metadata.uid,
      );
    }
    const home = emulator.store.get('pvc', NS, 'volundr-home-u-alice');
    expect(home?.spec).toMatchObject({ accessModes: ['ReadWriteMany'] });

    // The pod: restricted, sized, scheduled for the GPU, credentials by reference only.
    const pod = byKind(objects, 'Pod')[0] as unknown as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        securityContext: Record<string, unknown>;
        runtimeClassName: string;
        nodeSelector: Record<string, string>;
        tolerations: unknown[];
        initContainers: { name: string; env: { name: string; value?: string }[] }[];
        containers: {
          name: string;
          args?: string[];
          securityContext: Record<string, unknown>;
          resources?: { limits?: Record<string, string> };
          env: { name: string; value?: string; valueFrom?: unknown }[];
        }[];
      };
    };
    expect(pod.metadata.labels).toMatchObject({ 'volundr.io/owner': 'u-alice', 'volundr.io/tenant': 't-1' });
    expect(pod.metadata.annotations).toMatchObject({
      'volundr.io/session-id': session.id,
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/agent-inject-secret-anthropic-api-key':
        'secret/data/volundr/users/u-alice/anthropic-api-key',
    });
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.spec.runtimeClassName).toBe('nvidia');
    expect(pod.spec.nodeSelector).toEqual({ 'volundr.io/gpu': 'true' });
    expect(pod.spec.containers.map((c) => c.name)).toEqual(['skuld', 'terminal', 'ide']);
    for (const c of pod.spec.containers)
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const broker = pod.spec.containers[0]!;
    expect(broker.resources?.limits).toMatchObject({ memory: '4Gi', 'nvidia.com/gpu': '1' });
    expect(broker.env.find((e) => e.name === 'SKULD_API_URL')?.value).toBe('https://volundr.example.test');
    expect(broker.env.find((e) => e.name === 'SKULD_REPORT_TOKEN')?.valueFrom).toEqual({
      secretKeyRef: { name: 's-d-1-1-credentials', key: 'report-token' },
    });
    expect(pod.spec.containers[1]!.args).toEqual(expect.arrayContaining(['--base-path', `/s/${session.id}/terminal`]));
    const clone = pod.spec.initContainers.find((c) => c.name === 'git-clone')!;
    expect(clone.env).toEqual(
      expect.arrayContaining([
        { name: 'VOLUNDR_GIT_0_URL', value: 'https://git.example.test/acme/app.git' },
        { name: 'VOLUNDR_GIT_0_CREDENTIAL', value: '/var/run/volundr/credentials/git-credential-0' },
      ]),
    );
    expect(JSON.stringify(pod)).not.toContain('s3cret-token');
    const secret = byKind(objects, 'Secret')[0] as unknown as { data: Record<string, string> };
    expect(Buffer.from(secret.data['git-credential-0']!, 'base64').toString()).toBe(
      'username=alice\npassword=s3cret-token\n',
    );
    // The persisted spec holds references, never the values.
    expect(JSON.stringify((await world.sessions.byId(session.id))?.spec)).not.toMatch(/s3cret|report-token-for/);

    const route = byKind(objects, 'HTTPRoute')[0] as unknown as { spec: { hostnames: string[]; rules: unknown[] } };
    expect(route.spec.hostnames).toEqual(['volundr.example.test']);
    expect(route.spec.rules).toContainEqual({
      matches: [{ path: { type: 'PathPrefix', value: `/s/${session.id}/ide` } }],
      filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
      backendRefs: [{ group: '', kind: 'Service', name: 's-d-1-1', port: 8443 }],
    });

    // kubectl against the emulator lists the session's pod by its label.
    const { stdout } = await run(
      'kubectl',
      ['get', 'pods', '-n', NS, '-l', `${LABELS.session}=${sessionKey(session.id)}`, '-o', 'json'],
      { env: { ...process.env, ...emulator.kubeconfig.env } },
    );
    expect((JSON.parse(stdout) as { items: StoredObject[] }).items.map((p) => p.metadata.name)).toEqual(['s-d-1-1']);

    // Stop: only the archived workspace claim is left of the session (the home claim is the user's).
    const workspaceUid = byKind(objects, 'PersistentVolumeClaim')[0]!.metadata.uid;
    let mark = world.mark();
    await world.stop(session.id);
    await world.untilState(session.id, 'stopped', mark);
    await emulator.settle();
    const afterStop = sessionObjects(session.id);
    expect(describeObjects(afterStop)).toEqual(['PersistentVolumeClaim/s-d-1-workspace']);
    expect(afterStop[0]!.metadata.labels?.[LABELS.workspaceStatus]).toBe('archived');
    expect(emulator.store.get('pvc', NS, 'volundr-home-u-alice')).toBeDefined();

    // Start again: a new attempt on the same workspace claim, active again.
    mark = world.mark();
    await world.start(session.id);
    await world.untilState(session.id, 'running', mark);
    const again = sessionObjects(session.id);
    expect(describeObjects(again)).toContain('Pod/s-d-1-2');
    const claim = byKind(again, 'PersistentVolumeClaim')[0]!;
    expect(claim.metadata.uid).toBe(workspaceUid);
    expect(claim.metadata.labels?.[LABELS.workspaceStatus]).toBe('active');

    // Delete with the workspace: nothing of the session remains.
    await world.remove(session.id, ['workspace_storage']);
    await emulator.settle();
    expect(describeObjects(sessionObjects(session.id))).toEqual([]);
  });
});

describe('direct pod manager: failures end the session failed with a reason to act on', () => {
  const cases = [
    {
      name: 'an image that cannot be pulled',
      inject: (labels: string) => emulator.kubelet!.failPods({ labels }, { type: 'ImagePullError', container: 'ide' }),
      reason:
        /Container "ide" cannot pull its image registry.example.test\/volundr\/session:0.1.0 \((ErrImagePull|ImagePullBackOff): /,
    },
    {
      name: 'no node with enough cpu',
      inject: (labels: string) => emulator.kubelet!.failPods({ labels }, { type: 'Unschedulable' }),
      reason:
        /No node can run the session \(not enough cpu\); the scheduler says: "0\/3 nodes are available: 3 Insufficient cpu/,
    },
    {
      name: 'a crashing container',
      inject: (labels: string) =>
        emulator.kubelet!.failPods(
          { labels },
          { type: 'CrashLoopBackOff', container: 'skuld', exitCode: 3, message: 'bad config' },
        ),
      reason: /Container "skuld" keeps crashing \(CrashLoopBackOff, exit code 3: bad config\)/,
    },
    {
      name: 'memory exhaustion',
      inject: (labels: string) => emulator.kubelet!.failPods({ labels }, { type: 'OOMKilled', container: 'skuld' }),
      reason: /Container "skuld" ran out of memory \(OOMKilled, limit 2Gi\)/,
    },
    {
      name: 'a clone that fails',
      inject: (labels: string) =>
        emulator.kubelet!.failPods({ labels }, { type: 'InitContainerError', container: 'git-clone', exitCode: 128 }),
      reason: /Cloning the repository failed \(exit code 128/,
    },
    {
      name: 'a volume that never binds',
      inject: (_labels: string, sessionId: string) =>
        emulator.kubelet!.failClaims(
          { labels: `${LABELS.session}=${sessionKey(sessionId)}` },
          { type: 'ProvisioningFailed' },
        ),
      reason:
        /The session's volume s-d-\d+-workspace \(ProvisioningFailed: [^)]+\) is not bound, so the pod cannot be scheduled \(scheduler: "0\/3 nodes are available: pod has unbound immediate PersistentVolumeClaims/,
    },
  ];

  it.each(cases)('$name', async ({ inject, reason }) => {
    const session = await world.create({
      name: `f-${Math.random().toString(36).slice(2, 8)}`,
      model: 'claude-sonnet',
      source: gitSource,
      start: false,
    });
    const rule = inject(`${LABELS.session}=${sessionKey(session.id)}`, session.id);
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
