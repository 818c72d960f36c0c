import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeEmulator, startKubeEmulator } from './start-kube-emulator';

const run = promisify(execFile);
let emulator: KubeEmulator;

beforeAll(async () => {
  emulator = await startKubeEmulator({ namespaces: ['sessions', 'other'] });
});
afterAll(() => emulator?.close());

/** Runs the real kubectl against the emulator (asynchronously: the server shares this process). */
async function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('kubectl', args, {
      env: { ...process.env, ...emulator.kubeconfig.env },
      timeout: 30_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

function manifest(name: string, text: string): string {
  const path = join(emulator.kubeconfig.cacheDir, '..', name);
  writeFileSync(path, text);
  return path;
}

describe('kube emulator: kubectl', () => {
  it('kubectl get pods -l <selector> -o json lists exactly the matching pods', async () => {
    const core = emulator.client(CoreV1Api);
    const body = (name: string, session: string) => ({
      metadata: { name, labels: { 'volundr.dev/session': session } },
      spec: { containers: [{ name: 'broker', image: 'ghcr.io/volundr/session:1.0' }] },
    });
    await core.createNamespacedPod({ namespace: 'sessions', body: body('s-1', 's1') });
    await core.createNamespacedPod({ namespace: 'sessions', body: body('s-2', 's2') });
    await core.createNamespacedPod({ namespace: 'other', body: body('s-1-elsewhere', 's1') });
    await emulator.waitFor(
      'pods',
      'sessions',
      's-1',
      (o) => (o?.status as { phase?: string } | undefined)?.phase === 'Running',
    );

    const inNamespace = await kubectl('-n', 'sessions', 'get', 'pods', '-l', 'volundr.dev/session=s1', '-o', 'json');
    expect(inNamespace.code, inNamespace.stderr).toBe(0);
    const list = JSON.parse(inNamespace.stdout) as {
      kind: string;
      items: Array<{ metadata: { name: string }; status: { phase: string } }>;
    };
    expect(list.kind).toBe('List');
    expect(list.items.map((p) => [p.metadata.name, p.status.phase])).toEqual([['s-1', 'Running']]);

    const everywhere = await kubectl('get', 'pods', '-A', '-l', 'volundr.dev/session in (s1)', '-o', 'json');
    expect((JSON.parse(everywhere.stdout) as typeof list).items.map((p) => p.metadata.name)).toEqual([
      's-1-elsewhere',
      's-1',
    ]);

    const table = await kubectl('-n', 'sessions', 'get', 'pods');
    expect(table.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    expect(table.stdout).toMatch(/s-1\s+1\/1\s+Running\s+0/);
  });

  it('kubectl apply -f creates the objects, applies changes, and kubectl delete -f removes them', async () => {
    const path = manifest(
      'apply.yaml',
      `apiVersion: v1
kind: ConfigMap
metadata: {name: session-config, namespace: sessions}
data: {model: opus}
---
apiVersion: v1
kind: Service
metadata: {name: session-web, namespace: sessions}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: volundr, namespace: sessions}
spec: {interval: 1h, url: "https://charts.example"}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: session-9, namespace: sessions}
spec:
  interval: 5m
  chart:
    spec:
      chart: volundr-session
      sourceRef: {kind: HelmRepository, name: volundr}
  values:
    podLabels: {volundr.dev/session: s9}
`,
    );
    const created = await kubectl('apply', '-f', path);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('configmap/session-config created');
    expect(created.stdout).toContain('helmrelease.helm.toolkit.fluxcd.io/session-9 created');
    expect(emulator.store.get('services', 'sessions', 'session-web')?.spec).toMatchObject({
      clusterIP: expect.stringMatching(/^10\.96\./),
    });
    await emulator.waitFor('helmreleases', 'sessions', 'session-9', (o) =>
      Boolean(
        (o?.status as { conditions?: Array<{ type: string; status: string }> })?.conditions?.some(
          (c) => c.type === 'Ready' && c.status === 'True',
        ),
      ),
    );
    const sessionPods = await kubectl('-n', 'sessions', 'get', 'pods', '-l', 'volundr.dev/session=s9', '-o', 'json');
    expect(
      (JSON.parse(sessionPods.stdout) as { items: Array<{ metadata: { name: string } }> }).items.map(
        (p) => p.metadata.name,
      ),
    ).toEqual(['session-9']);

    writeFileSync(path, readFileSync(path, 'utf8').replace('model: opus', 'model: sonnet'));
    const changed = await kubectl('apply', '-f', path);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain('configmap/session-config configured');
    expect(changed.stdout).toContain('service/session-web unchanged');
    expect(emulator.store.get('configmaps', 'sessions', 'session-config')?.data).toEqual({ model: 'sonnet' });

    const deleted = await kubectl('delete', '-f', path);
    expect(deleted.code, deleted.stderr).toBe(0);
    await emulator.waitFor('helmreleases', 'sessions', 'session-9', (o) => o === undefined);
    expect(emulator.store.get('pods', 'sessions', 'session-9')).toBeUndefined();
    expect(emulator.store.get('configmaps', 'sessions', 'session-config')).toBeUndefined();
  });

  it('kubectl apply of an invalid object shows the server refusal', async () => {
    const path = manifest(
      'invalid.yaml',
      `apiVersion: v1
kind: Pod
metadata: {name: no-image, namespace: sessions}
spec:
  containers: [{name: main}]
`,
    );
    const refused = await kubectl('apply', '-f', path);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Pod "no-image" is invalid: spec.containers[0].image: Required value');

    const typo = manifest(
      'typo.yaml',
      `apiVersion: v1
kind: ConfigMap
metadata: {name: typo, namespace: sessions}
dta: {a: "1"}
`,
    );
    const strict = await kubectl('apply', '-f', typo);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('unknown field "dta"');
  });
});
