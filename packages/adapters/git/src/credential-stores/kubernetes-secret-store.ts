/**
 * Credential values as Kubernetes Secrets (one per credential) through @kubernetes/client-node.
 * Each Secret carries the owner annotation (`volundr.io/owner`) that the Kubernetes `Secrets`
 * adapter checks before a session may reference it, so env `secretKeyRef`s to a credential work
 * on the Kubernetes runtime. Names are `volundr-cred-<owner hash>-<credential>`: two users'
 * credentials of the same name never collide.
 */
import { createHash } from 'node:crypto';
import { ApiException, CoreV1Api, KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { SecretLocation, SecretStore } from '@volundr/core/credentials/ports/secret-store';
import { DomainError } from '@volundr/core/errors';
import { z } from 'zod';

export const ZKubernetesSecretStoreOptions = z.strictObject({
  /** A kubeconfig file; absent: $KUBECONFIG, ~/.kube/config or the pod's service account. */
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  /** Where the Secrets live: the sessions' namespace, so pods can reference them. */
  namespace: z.string().min(1).max(63).default('volundr-sessions'),
  /** One namespace per tenant (`<prefix><tenant>`), as the Kubernetes runtime's `tenantNamespaces`. */
  tenantNamespacePrefix: z.string().min(1).max(40).optional(),
});
export type KubernetesSecretStoreOptions = z.input<typeof ZKubernetesSecretStoreOptions>;

export const CREDENTIAL_LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'volundr.io/component',
  credential: 'volundr.io/credential',
} as const;
export const OWNER_ANNOTATION = 'volundr.io/owner';

const statusOf = (error: unknown) => (error instanceof ApiException ? error.code : 0);
const hash = (value: string, length: number) => createHash('sha256').update(value).digest('hex').slice(0, length);

export function credentialSecretName(location: SecretLocation): string {
  return `volundr-cred-${hash(`${location.tenantId}\u0000${location.ownerId}`, 12)}-${location.name}`;
}

export function createKubernetesSecretStore(
  input: KubernetesSecretStoreOptions,
  deps: { kubeConfig?: KubeConfig } = {},
): SecretStore {
  const options = ZKubernetesSecretStoreOptions.parse(input);
  let config = deps.kubeConfig;
  if (!config) {
    config = new KubeConfig();
    if (options.kubeconfig) config.loadFromFile(options.kubeconfig);
    else config.loadFromDefault();
    if (options.context) config.setCurrentContext(options.context);
  }
  const core = config.makeApiClient(CoreV1Api);
  const namespaceOf = (l: SecretLocation) =>
    options.tenantNamespacePrefix
      ? `${options.tenantNamespacePrefix}${l.tenantId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`
          .slice(0, 63)
          .replace(/-+$/, '')
      : options.namespace;
  const failed = (what: string, error: unknown) =>
    new DomainError(
      'DEPENDENCY_UNAVAILABLE',
      `Kubernetes could not ${what} (${statusOf(error) || (error as Error).message})`,
    );

  function body(location: SecretLocation, data: Readonly<Record<string, string>>, resourceVersion?: string): V1Secret {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: credentialSecretName(location),
        namespace: namespaceOf(location),
        ...(resourceVersion ? { resourceVersion } : {}),
        labels: {
          [CREDENTIAL_LABELS.managedBy]: 'volundr',
          [CREDENTIAL_LABELS.component]: 'credential',
          [CREDENTIAL_LABELS.credential]: location.name,
        },
        annotations: {
          [OWNER_ANNOTATION]: location.ownerId,
          'volundr.io/tenant': location.tenantId,
          'volundr.io/credential-name': location.name,
        },
      },
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
    };
  }

  async function read(location: SecretLocation): Promise<V1Secret | null> {
    try {
      return await core.readNamespacedSecret({
        name: credentialSecretName(location),
        namespace: namespaceOf(location),
      });
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw failed(`read credential "${location.name}"`, error);
    }
  }

  return {
    kind: 'kubernetes-secrets',
    podSecretName: credentialSecretName,
    async put(location, data) {
      const namespace = namespaceOf(location);
      for (let attempt = 0; attempt < 3; attempt++) {
        const existing = await read(location);
        try {
          if (
            existing?.metadata?.annotations?.[OWNER_ANNOTATION] !== undefined &&
            existing.metadata.annotations[OWNER_ANNOTATION] !== location.ownerId
          )
            throw new DomainError(
              'DEPENDENCY_UNAVAILABLE',
              `Secret ${credentialSecretName(location)} belongs to someone else`,
            );
          if (existing)
            await core.replaceNamespacedSecret({
              name: credentialSecretName(location),
              namespace,
              body: body(location, data, existing.metadata?.resourceVersion),
            });
          else await core.createNamespacedSecret({ namespace, body: body(location, data) });
          return;
        } catch (error) {
          if (error instanceof DomainError) throw error;
          // Written concurrently: read again and retry.
          if (statusOf(error) === 409 && attempt < 2) continue;
          throw failed(`write credential "${location.name}"`, error);
        }
      }
    },
    async get(location) {
      const secret = await read(location);
      if (!secret || secret.metadata?.annotations?.[OWNER_ANNOTATION] !== location.ownerId) return null;
      return Object.fromEntries(
        Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      );
    },
    async delete(location) {
      try {
        await core.deleteNamespacedSecret({ name: credentialSecretName(location), namespace: namespaceOf(location) });
      } catch (error) {
        if (statusOf(error) !== 404) throw failed(`delete credential "${location.name}"`, error);
      }
    },
    async ping() {
      try {
        await core.listNamespacedSecret({ namespace: options.namespace, limit: 1 });
      } catch (error) {
        throw failed('list secrets', error);
      }
    },
  };
}

/** `{ use: "@volundr/adapter-git/credential-stores/kubernetes-secret-store#kubernetesSecretStore", namespace }` */
export const kubernetesSecretStore = defineAdapter({
  port: 'credentialStore',
  options: ZKubernetesSecretStoreOptions,
  create: (options): SecretStore => createKubernetesSecretStore(options),
});
