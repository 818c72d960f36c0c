/**
 * SecretInjection through the Secrets Store CSI driver: a SecretProviderClass per session
 * listing the owner's chosen credentials (by path, never by value) and a read-only CSI volume
 * mounting them as files. The provider (Vault here) fetches the values on the node.
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

export const ZCsiSecretInjectionOptions = z.strictObject({
  ...ZKubeConnection.shape,
  ...ZSessionNamespaces.shape,
  provider: z.literal('vault').default('vault'),
  vaultAddress: z.url(),
  /** The Vault Kubernetes-auth role the CSI provider logs in with. */
  roleName: z.string().min(1).max(253),
  secretPath: z.string().min(1).max(500).default('secret/data/volundr/users/{ownerId}/{credential}'),
  /** The key read from each credential's secret. */
  secretKey: z.string().min(1).max(253).default('value'),
  mountPath: z.string().regex(/^\//).default('/run/secrets/volundr'),
});
export type CsiSecretInjectionOptions = z.input<typeof ZCsiSecretInjectionOptions>;

const SPC = {
  group: 'secrets-store.csi.x-k8s.io',
  version: 'v1',
  plural: 'secretproviderclasses',
  kind: 'SecretProviderClass',
};
export const spcName = (sessionId: string) => `${sessionKey(sessionId)}-secrets`;

/** YAML the Vault CSI provider reads from `parameters.objects` (strings quoted as JSON, which YAML accepts). */
const objectsYaml = (objects: { objectName: string; secretPath: string; secretKey: string }[]) =>
  objects
    .map(
      (o) =>
        `- objectName: ${JSON.stringify(o.objectName)}\n  secretPath: ${JSON.stringify(o.secretPath)}\n  secretKey: ${JSON.stringify(o.secretKey)}`,
    )
    .join('\n');

export function createCsiSecretInjection(
  input: CsiSecretInjectionOptions,
  deps: { kubeConfig?: KubeConfig } = {},
): SecretInjection {
  const options = ZCsiSecretInjectionOptions.parse(input);
  const custom = (deps.kubeConfig ?? loadKubeConfig(options)).makeApiClient(CustomObjectsApi);
  return {
    async podAdditions(session, credentialNames) {
      const namespace = namespaceFor(options, session.tenantId);
      const name = spcName(session.sessionId);
      const metadata = sessionMetadata({ id: session.sessionId, ownerId: session.ownerId, tenantId: session.tenantId });
      const body = {
        apiVersion: `${SPC.group}/${SPC.version}`,
        kind: 'SecretProviderClass',
        metadata: {
          name,
          namespace,
          labels: { ...metadata.labels, [LABELS.component]: 'secret-provider-class' },
          annotations: metadata.annotations,
        },
        spec: {
          provider: options.provider,
          parameters: {
            vaultAddress: options.vaultAddress,
            roleName: options.roleName,
            objects: objectsYaml(
              credentialNames.map((credential) => ({
                objectName: credentialFileName(credential),
                // Credentials are stored under their file-name form (`GitHub Token` → `github-token`).
                secretPath: expandTemplate(options.secretPath, {
                  ...session,
                  credential: credentialFileName(credential),
                }),
                secretKey: options.secretKey,
              })),
            ),
          },
        },
      };
      await writeSessionObject(custom, SPC, namespace, body);
      return {
        provider: 'secrets-store-csi',
        volumes: [
          {
            name: 'volundr-secrets',
            source: {
              kind: 'csi',
              driver: 'secrets-store.csi.k8s.io',
              readOnly: true,
              attributes: { secretProviderClass: name },
            },
          },
        ],
        volumeMounts: [{ name: 'volundr-secrets', mountPath: options.mountPath, readOnly: true }],
        env: [{ name: 'VOLUNDR_CREDENTIALS_DIR', value: options.mountPath }],
        annotations: {},
      };
    },
    async cleanupSession(sessionId) {
      await deleteSessionObjects(custom, SPC, {
        sessionId,
        component: 'secret-provider-class',
        namespace: options.namespace,
        allNamespaces: options.tenantNamespaces !== undefined,
      });
    },
  };
}

/** `{ use: "@volundr/adapter-kubernetes/csi-secret-injection#csiSecretInjection", vaultAddress, roleName }` */
export const csiSecretInjection = defineAdapter({
  port: 'secretInjection',
  options: ZCsiSecretInjectionOptions,
  create: (options): SecretInjection => createCsiSecretInjection(options),
});
