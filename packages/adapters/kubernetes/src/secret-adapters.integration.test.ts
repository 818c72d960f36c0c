import { CoreV1Api } from '@kubernetes/client-node';
import { type KubeEmulator, startKubeEmulator } from '@volundr/testkit/kube/start-kube-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsiSecretInjection, spcName } from './csi-secret-injection';
import { createInfisicalSecretInjection, infisicalSecretName } from './infisical-secret-injection';
import { createKubernetesSecrets, SHARED_WITH_TENANT } from './kubernetes-secrets';
import { createVaultAgentInjection } from './vault-agent-injection';

const NS = 'volundr-sessions';
const session = { sessionId: 'sec-1', ownerId: 'u-alice', tenantId: 't-1' };
let emulator: KubeEmulator;

beforeAll(async () => {
  emulator = await startKubeEmulator({ namespaces: [NS], kubelet: false });
  const core = emulator.client(CoreV1Api);
  const secret = (name: string, annotations: Record<string, string>) =>
    core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name, annotations }, stringData: { anthropic: 'sk-x' } },
    });
  await secret('alice-keys', { 'volundr.io/owner': 'u-alice' });
  await secret('bob-keys', { 'volundr.io/owner': 'u-bob' });
  await secret('team-keys', { [SHARED_WITH_TENANT]: 't-1' });
});
afterAll(() => emulator?.close());

describe('kubernetesSecrets', () => {
  it("references the owner's and the tenant's shared secrets by key, and refuses the rest by name", async () => {
    const secrets = createKubernetesSecrets({ namespace: NS }, { kubeConfig: emulator.kubeConfig });
    expect(
      await secrets.envFor(session, [
        { env: 'ANTHROPIC_API_KEY', secret: 'alice-keys', key: 'anthropic' },
        { env: 'TEAM_KEY', secret: 'team-keys', key: 'anthropic' },
      ]),
    ).toEqual([
      { name: 'ANTHROPIC_API_KEY', secretRef: { name: 'alice-keys', key: 'anthropic' } },
      { name: 'TEAM_KEY', secretRef: { name: 'team-keys', key: 'anthropic' } },
    ]);
    await expect(secrets.envFor(session, [{ env: 'X', secret: 'bob-keys', key: 'anthropic' }])).rejects.toThrow(
      'secret "bob-keys" (for X) is not yours',
    );
    await expect(secrets.envFor(session, [{ env: 'X', secret: 'alice-keys', key: 'openai' }])).rejects.toThrow(
      'has no key "openai"',
    );
    await expect(secrets.envFor(session, [{ env: 'X', secret: 'nope', key: 'k' }])).rejects.toThrow('does not exist');
  });
});

describe('secret injection', () => {
  it('CSI: a SecretProviderClass per session listing credentials by path, a read-only volume, removed at cleanup', async () => {
    const injection = createCsiSecretInjection(
      { namespace: NS, vaultAddress: 'https://vault.example.test', roleName: 'volundr-session' },
      { kubeConfig: emulator.kubeConfig },
    );
    const additions = await injection.podAdditions(session, ['anthropic-api-key', 'GitHub Token']);
    expect(additions.volumes).toEqual([
      {
        name: 'volundr-secrets',
        source: {
          kind: 'csi',
          driver: 'secrets-store.csi.k8s.io',
          readOnly: true,
          attributes: { secretProviderClass: 's-sec-1-secrets' },
        },
      },
    ]);
    const spc = emulator.store.get('secretproviderclasses', NS, spcName('sec-1')) as unknown as {
      spec: { provider: string; parameters: { objects: string } };
    };
    expect(spc.spec.provider).toBe('vault');
    expect(spc.spec.parameters.objects).toContain('"secret/data/volundr/users/u-alice/github-token"');
    // Starting again with other credentials rewrites the class.
    await injection.podAdditions(session, ['anthropic-api-key']);
    const again = emulator.store.get('secretproviderclasses', NS, spcName('sec-1')) as unknown as typeof spc;
    expect(again.spec.parameters.objects).not.toContain('github');
    await injection.cleanupSession('sec-1');
    expect(emulator.store.get('secretproviderclasses', NS, spcName('sec-1'))).toBeUndefined();
  });

  it("Infisical: an InfisicalSecret per session reading the owner's folder, keeping only the chosen credentials, removed at cleanup", async () => {
    const injection = createInfisicalSecretInjection(
      {
        namespace: NS,
        hostApi: 'https://infisical.example.test/api',
        identityId: 'mi-1',
        serviceAccount: { name: 'volundr-session' },
        projectSlug: 'volundr',
      },
      { kubeConfig: emulator.kubeConfig },
    );
    const additions = await injection.podAdditions(session, ['anthropic-api-key', 'GitHub Token']);
    expect(additions).toMatchObject({
      provider: 'infisical',
      volumes: [{ name: 'volundr-secrets', source: { kind: 'secret', secretName: 's-sec-1-secrets' } }],
      volumeMounts: [{ name: 'volundr-secrets', mountPath: '/run/secrets/volundr', readOnly: true }],
    });
    type Stored = {
      spec: {
        authentication: { kubernetesAuth: { serviceAccountRef: unknown; secretsScope: unknown } };
        managedKubeSecretReferences: { secretName: string; template: { data: Record<string, string> } }[];
      };
    };
    const stored = emulator.store.get('infisicalsecrets', NS, infisicalSecretName('sec-1')) as unknown as Stored;
    expect(stored.spec.authentication.kubernetesAuth).toMatchObject({
      serviceAccountRef: { name: 'volundr-session', namespace: NS },
      secretsScope: { projectSlug: 'volundr', envSlug: 'prod', secretsPath: '/volundr/users/u-alice' },
    });
    expect(stored.spec.managedKubeSecretReferences[0]).toMatchObject({
      secretName: 's-sec-1-secrets',
      template: {
        data: {
          'anthropic-api-key': '{{ (index . "anthropic-api-key").Value }}',
          'github-token': '{{ (index . "github-token").Value }}',
        },
      },
    });
    // Starting again with other credentials rewrites it; cleanup removes it.
    await injection.podAdditions(session, ['anthropic-api-key']);
    const again = emulator.store.get('infisicalsecrets', NS, infisicalSecretName('sec-1')) as unknown as Stored;
    expect(Object.keys(again.spec.managedKubeSecretReferences[0]!.template.data)).toEqual(['anthropic-api-key']);
    await injection.cleanupSession('sec-1');
    expect(emulator.store.get('infisicalsecrets', NS, infisicalSecretName('sec-1'))).toBeUndefined();
    await expect(injection.podAdditions({ ...session, ownerId: '../admin' }, ['x'])).rejects.toThrow(
      'cannot be used in a secret path',
    );
  });

  it('Vault Agent: annotations only, one secret and template per credential, never a value', async () => {
    const additions = await createVaultAgentInjection({ role: 'volundr-session' }).podAdditions(session, [
      'anthropic-api-key',
    ]);
    expect(additions.annotations).toMatchObject({
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/role': 'volundr-session',
      'vault.hashicorp.com/agent-inject-secret-anthropic-api-key':
        'secret/data/volundr/users/u-alice/anthropic-api-key',
    });
    expect(additions.volumes).toEqual([]);
    await expect(
      createVaultAgentInjection({ role: 'r' }).podAdditions({ ...session, ownerId: '../admin' }, ['x']),
    ).rejects.toThrow('cannot be used in a secret path');
  });
});
