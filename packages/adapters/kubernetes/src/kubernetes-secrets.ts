/**
 * The Secrets port on Kubernetes: env vars that reference Kubernetes Secrets (`secretKeyRef`).
 * A session may only name a secret of its own owner (annotation `volundr.io/owner`) or one its
 * tenant shares (`volundr.io/shared-with-tenant`); the key must exist. Values are never copied.
 */
import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { DomainError } from '@volundr/core/errors';
import type { Secrets } from '@volundr/core/sessions/ports/secrets';
import { z } from 'zod';
import { kubeFailure } from './kube-calls';
import { loadKubeConfig, ZKubeConnection } from './kube-connection';
import { ignoreNotFound, isNotFound } from './kube-errors';
import { ANNOTATIONS, LABELS, sessionKey } from './session-names';
import { namespaceFor, ZSessionNamespaces } from './session-namespace';

export const SHARED_WITH_TENANT = 'volundr.io/shared-with-tenant';
/** Secrets made for one session by other components carry this component label; cleanup deletes them. */
export const SESSION_SECRET_COMPONENT = 'session-secret';

export const ZKubernetesSecretsOptions = z.strictObject({
  ...ZKubeConnection.shape,
  ...ZSessionNamespaces.shape,
});
export type KubernetesSecretsOptions = z.input<typeof ZKubernetesSecretsOptions>;

export function createKubernetesSecrets(
  input: KubernetesSecretsOptions,
  deps: { kubeConfig?: KubeConfig } = {},
): Secrets {
  const options = ZKubernetesSecretsOptions.parse(input);
  const core = (deps.kubeConfig ?? loadKubeConfig(options)).makeApiClient(CoreV1Api);
  return {
    async envFor(session, refs) {
      const namespace = namespaceFor(options, session.tenantId);
      const out = [];
      for (const ref of refs) {
        let secret: V1Secret;
        try {
          secret = await core.readNamespacedSecret({ name: ref.secret, namespace });
        } catch (error) {
          if (isNotFound(error))
            throw new DomainError(
              'BAD_REQUEST',
              `envSecretRefs: secret "${ref.secret}" (for ${ref.env}) does not exist.`,
            );
          throw kubeFailure(`read secret ${namespace}/${ref.secret}`, error);
        }
        const annotations = secret.metadata?.annotations ?? {};
        const mine = annotations[ANNOTATIONS.owner] === session.ownerId;
        const shared = annotations[SHARED_WITH_TENANT] === session.tenantId;
        if (!mine && !shared)
          throw new DomainError('BAD_REQUEST', `envSecretRefs: secret "${ref.secret}" (for ${ref.env}) is not yours.`);
        // Only the key's presence is looked at: the value is never read.
        const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
        if (!keys.has(ref.key))
          throw new DomainError(
            'BAD_REQUEST',
            `envSecretRefs: secret "${ref.secret}" has no key "${ref.key}" (for ${ref.env}).`,
          );
        out.push({ name: ref.env, secretRef: { name: ref.secret, key: ref.key } });
      }
      return out;
    },
    async deleteSessionSecrets(sessionId) {
      const labelSelector = `${LABELS.session}=${sessionKey(sessionId)},${LABELS.component}=${SESSION_SECRET_COMPONENT}`;
      const list = await (options.tenantNamespaces
        ? core.listSecretForAllNamespaces({ labelSelector })
        : core.listNamespacedSecret({ namespace: options.namespace, labelSelector })
      ).catch((error) => {
        throw kubeFailure(`list the secrets of session ${sessionId}`, error);
      });
      for (const secret of list.items) {
        const name = secret.metadata?.name;
        const namespace = secret.metadata?.namespace ?? options.namespace;
        if (name) await ignoreNotFound(() => core.deleteNamespacedSecret({ name, namespace }));
      }
    },
  };
}

/** `{ use: "@volundr/adapter-kubernetes/kubernetes-secrets#kubernetesSecrets", namespace }` */
export const kubernetesSecrets = defineAdapter({
  port: 'secrets',
  options: ZKubernetesSecretsOptions,
  create: (options): Secrets => createKubernetesSecrets(options),
});
