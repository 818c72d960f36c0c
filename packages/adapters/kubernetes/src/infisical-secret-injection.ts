/**
 * SecretInjection through the Infisical Kubernetes operator: an InfisicalSecret per session that
 * authenticates with a machine identity (Kubernetes auth), reads the owner's folder of an
 * Infisical project, and keeps a Kubernetes Secret holding only the chosen credentials (by
 * name, through the operator's template: never a value here), mounted read-only as files.
 */
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { SecretInjection } from '@volundr/core/sessions/ports/secret-injection';
import { z } from 'zod';
import { credentialFileName, expandTemplate } from './credential-paths';
import { loadKubeConfig, ZKubeConnection } from './kube-connection';
import { deleteSessionObjects, writeSessionObject } from './session-custom-objects';
import { LABELS, sessionKey, sessionMetadata } from './session-names';
import { namespaceFor, ZSessionNamespaces } from './session-namespace';

const ZName = z.string().min(1).max(253);

export const ZInfisicalSecretInjectionOptions = z.strictObject({
  ...ZKubeConnection.shape,
  ...ZSessionNamespaces.shape,
  /** The Infisical API, e.g. `https://infisical.example.com/api` (the operator's `hostAPI`). */
  hostApi: z.url(),
  /** The machine identity the operator logs in as with Kubernetes auth. */
  identityId: ZName,
  /** The service account whose token the operator presents (in the session's namespace unless given). */
  serviceAccount: z.strictObject({ name: ZName, namespace: ZName.optional() }),
  projectSlug: ZName,
  envSlug: ZName.default('prod'),
  /** The owner's folder; `{ownerId}`, `{tenantId}` and `{sessionId}` are filled in. */
  secretsPath: z.string().regex(/^\//).max(500).default('/volundr/users/{ownerId}'),
  /** Seconds between the operator's syncs. */
  resyncIntervalSeconds: z.int().min(5).max(86_400).default(60),
  mountPath: z.string().regex(/^\//).default('/run/secrets/volundr'),
});
export type InfisicalSecretInjectionOptions = z.input<typeof ZInfisicalSecretInjectionOptions>;

const INFISICAL_SECRET = {
  group: 'secrets.infisical.com',
  version: 'v1alpha1',
  plural: 'infisicalsecrets',
  kind: 'InfisicalSecret',
};
const COMPONENT = 'infisical-secret';
/** The InfisicalSecret of a session, and the Kubernetes Secret the operator keeps for it. */
export const infisicalSecretName = (sessionId: string) => `${sessionKey(sessionId)}-secrets`;

/** A Go template reading one Infisical secret by key, whatever characters the key has. */
const templateOf = (key: string) => `{{ (index . ${JSON.stringify(key)}).Value }}`;

export function createInfisicalSecretInjection(
  input: InfisicalSecretInjectionOptions,
  deps: { kubeConfig?: KubeConfig } = {},
): SecretInjection {
  const options = ZInfisicalSecretInjectionOptions.parse(input);
  const custom = (deps.kubeConfig ?? loadKubeConfig(options)).makeApiClient(CustomObjectsApi);
  return {
    async podAdditions(session, credentialNames) {
      const namespace = namespaceFor(options, session.tenantId);
      const name = infisicalSecretName(session.sessionId);
      const metadata = sessionMetadata({ id: session.sessionId, ownerId: session.ownerId, tenantId: session.tenantId });
      // Credentials are stored under their file-name form (`GitHub Token` → `github-token`).
      const files = credentialNames.map(credentialFileName);
      await writeSessionObject(custom, INFISICAL_SECRET, namespace, {
        apiVersion: `${INFISICAL_SECRET.group}/${INFISICAL_SECRET.version}`,
        kind: INFISICAL_SECRET.kind,
        metadata: {
          name,
          namespace,
          labels: { ...metadata.labels, [LABELS.component]: COMPONENT },
          annotations: metadata.annotations,
        },
        spec: {
          hostAPI: options.hostApi,
          resyncInterval: options.resyncIntervalSeconds,
          authentication: {
            kubernetesAuth: {
              identityId: options.identityId,
              serviceAccountRef: {
                name: options.serviceAccount.name,
                namespace: options.serviceAccount.namespace ?? namespace,
              },
              secretsScope: {
                projectSlug: options.projectSlug,
                envSlug: options.envSlug,
                secretsPath: expandTemplate(options.secretsPath, { ...session }),
                recursive: false,
              },
            },
          },
          managedKubeSecretReferences: [
            {
              secretName: name,
              secretNamespace: namespace,
              // Deleting the InfisicalSecret at cleanup removes the values too.
              creationPolicy: 'Owner',
              template: {
                includeAllSecrets: false,
                data: Object.fromEntries(files.map((file) => [file, templateOf(file)])),
              },
            },
          ],
        },
      });
      return {
        provider: 'infisical',
        volumes: [{ name: 'volundr-secrets', source: { kind: 'secret', secretName: name } }],
        volumeMounts: [{ name: 'volundr-secrets', mountPath: options.mountPath, readOnly: true }],
        env: [{ name: 'VOLUNDR_CREDENTIALS_DIR', value: options.mountPath }],
        annotations: {},
      };
    },
    async cleanupSession(sessionId) {
      await deleteSessionObjects(custom, INFISICAL_SECRET, {
        sessionId,
        component: COMPONENT,
        namespace: options.namespace,
        allNamespaces: options.tenantNamespaces !== undefined,
      });
    },
  };
}

/** `{ use: "@volundr/adapter-kubernetes/infisical-secret-injection#infisicalSecretInjection", hostApi, identityId, serviceAccount, projectSlug }` */
export const infisicalSecretInjection = defineAdapter({
  port: 'secretInjection',
  options: ZInfisicalSecretInjectionOptions,
  create: (options): SecretInjection => createInfisicalSecretInjection(options),
});
