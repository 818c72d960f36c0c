/**
 * The Storage port on Kubernetes: a PersistentVolumeClaim per session workspace (kept across
 * restarts, labelled archived while the session is stopped, deleted only when the session is
 * deleted with its workspace) and one home claim per user, shared by the user's sessions.
 * Also the identity domain's `HomeVolumes` port, so first login creates the home claim.
 */
import { CoreV1Api, type KubeConfig, type V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { VolumeSource } from '@volundr/contracts/session-spec';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { HomeVolumes } from '@volundr/core/identity/ports/home-volumes';
import type { SessionOwnerRef, Storage } from '@volundr/core/sessions/ports/storage';
import { z } from 'zod';
import { kubeFailure, mergePatch } from './kube-calls';
import { loadKubeConfig, ZKubeConnection } from './kube-connection';
import { createIfMissing, deleteIfExists, ignoreNotFound, isNotFound } from './kube-errors';
import {
  ANNOTATIONS,
  homeClaimName,
  LABELS,
  labelValue,
  sessionKey,
  sessionMetadata,
  userKey,
  workspaceClaimName,
} from './session-names';
import { namespaceFor, type SessionNamespaces, ZSessionNamespaces } from './session-namespace';

const ZQuantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'a storage quantity (10Gi)');
const ZAccessMode = z.enum(['ReadWriteOnce', 'ReadWriteMany', 'ReadWriteOncePod', 'ReadOnlyMany']);

export const ZClaimSettings = z.strictObject({
  size: ZQuantity,
  storageClassName: z.string().min(1).max(253).optional(),
  accessModes: z.array(ZAccessMode).min(1).max(3),
});
export type ClaimSettings = z.infer<typeof ZClaimSettings>;

export const ZVolumeSettings = z.strictObject({
  workspace: ZClaimSettings.default({ size: '10Gi', accessModes: ['ReadWriteOnce'] }),
  /** `false`: sessions get no home volume. */
  home: z.union([z.literal(false), ZClaimSettings]).default({ size: '5Gi', accessModes: ['ReadWriteMany'] }),
});
export type VolumeSettings = z.infer<typeof ZVolumeSettings>;

export const ZKubernetesStorageOptions = z.strictObject({
  ...ZKubeConnection.shape,
  ...ZSessionNamespaces.shape,
  ...ZVolumeSettings.shape,
});
export type KubernetesStorageOptions = z.input<typeof ZKubernetesStorageOptions>;

function claim(
  name: string,
  namespace: string,
  settings: ClaimSettings,
  labels: Record<string, string>,
  annotations: Record<string, string>,
): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, labels, annotations },
    spec: {
      accessModes: settings.accessModes,
      resources: { requests: { storage: settings.size } },
      ...(settings.storageClassName ? { storageClassName: settings.storageClassName } : {}),
    },
  };
}

/** The claims of one installation: naming, labels, creation, archive state. Shared by the pod managers. */
export class SessionClaims {
  constructor(
    private readonly core: CoreV1Api,
    private readonly namespaces: SessionNamespaces,
    private readonly volumes: VolumeSettings,
  ) {}

  async ensureNamespace(namespace: string): Promise<void> {
    if (!this.namespaces.tenantNamespaces?.create) return;
    await createIfMissing(() =>
      this.core.createNamespace({
        body: { metadata: { name: namespace, labels: { [LABELS.component]: 'tenant-namespace' } } },
      }),
    ).catch((error) => {
      throw kubeFailure(`create namespace ${namespace}`, error);
    });
  }

  /** Creates the workspace claim or reuses it, marking it active again. */
  async ensureWorkspace(session: SessionOwnerRef): Promise<string> {
    const namespace = namespaceFor(this.namespaces, session.tenantId);
    const name = workspaceClaimName(session.sessionId);
    await this.ensureNamespace(namespace);
    const metadata = sessionMetadata({ id: session.sessionId, ownerId: session.ownerId, tenantId: session.tenantId });
    try {
      const existing = await this.core.readNamespacedPersistentVolumeClaim({ name, namespace });
      if (existing.metadata?.labels?.[LABELS.workspaceStatus] !== 'active')
        await this.markWorkspace(namespace, name, 'active');
      return name;
    } catch (error) {
      if (!isNotFound(error)) throw kubeFailure(`read workspace claim ${namespace}/${name}`, error);
    }
    const labels = { ...metadata.labels, [LABELS.volumeType]: 'workspace', [LABELS.workspaceStatus]: 'active' };
    await createIfMissing(() =>
      this.core.createNamespacedPersistentVolumeClaim({
        namespace,
        body: claim(name, namespace, this.volumes.workspace, labels, metadata.annotations),
      }),
    ).catch((error) => {
      throw kubeFailure(`create workspace claim ${namespace}/${name}`, error);
    });
    return name;
  }

  /** The user's home claim (null when homes are off), created in the tenant's namespace. */
  async ensureHome(owner: { ownerId: string; tenantId: string }): Promise<string | null> {
    return this.ensureHomeIn(namespaceFor(this.namespaces, owner.tenantId), owner.ownerId, owner.tenantId);
  }

  async ensureHomeIn(namespace: string, userId: string, tenantId?: string): Promise<string | null> {
    const settings = this.volumes.home;
    if (settings === false) return null;
    const name = homeClaimName(userId);
    await this.ensureNamespace(namespace);
    const labels = {
      [LABELS.volumeType]: 'home',
      [LABELS.user]: userKey(userId),
      ...(tenantId ? { [LABELS.tenant]: labelValue(tenantId) } : {}),
    };
    await createIfMissing(() =>
      this.core.createNamespacedPersistentVolumeClaim({
        namespace,
        body: claim(name, namespace, settings, labels, { [ANNOTATIONS.userId]: userId }),
      }),
    ).catch((error) => {
      throw kubeFailure(`create home claim ${namespace}/${name}`, error);
    });
    return name;
  }

  /** The session's workspace claims wherever they are (the tenant is not known on stop and delete). */
  async findWorkspaces(sessionId: string): Promise<{ namespace: string; name: string }[]> {
    const labelSelector = `${LABELS.session}=${sessionKey(sessionId)},${LABELS.volumeType}=workspace`;
    const list = this.namespaces.tenantNamespaces
      ? await this.core.listPersistentVolumeClaimForAllNamespaces({ labelSelector })
      : await this.core.listNamespacedPersistentVolumeClaim({ namespace: this.namespaces.namespace, labelSelector });
    return list.items.map((c) => ({ namespace: c.metadata?.namespace ?? '', name: c.metadata?.name ?? '' }));
  }

  async markWorkspace(namespace: string, name: string, status: 'active' | 'archived'): Promise<void> {
    await ignoreNotFound(() =>
      this.core.patchNamespacedPersistentVolumeClaim(
        { name, namespace, body: { metadata: { labels: { [LABELS.workspaceStatus]: status } } } },
        mergePatch,
      ),
    ).catch((error) => {
      throw kubeFailure(`label workspace claim ${namespace}/${name} ${status}`, error);
    });
  }

  async archiveWorkspace(sessionId: string): Promise<void> {
    for (const c of await this.findWorkspaces(sessionId)) await this.markWorkspace(c.namespace, c.name, 'archived');
  }

  async deleteWorkspace(sessionId: string): Promise<void> {
    for (const c of await this.findWorkspaces(sessionId)) {
      await deleteIfExists(() => this.core.deleteNamespacedPersistentVolumeClaim(c)).catch((error) => {
        throw kubeFailure(`delete workspace claim ${c.namespace}/${c.name}`, error);
      });
    }
  }
}

const pvc = (claimName: string): VolumeSource => ({ kind: 'persistentVolumeClaim', claimName });

export function createKubernetesStorage(
  input: KubernetesStorageOptions,
  deps: { kubeConfig?: KubeConfig } = {},
): Storage & HomeVolumes {
  const options = ZKubernetesStorageOptions.parse(input);
  const core = (deps.kubeConfig ?? loadKubeConfig(options)).makeApiClient(CoreV1Api);
  const claims = new SessionClaims(core, options, options);
  return {
    ensureWorkspace: async (session) => pvc(await claims.ensureWorkspace(session)),
    ensureHome: async (owner) => {
      const name = await claims.ensureHome(owner);
      return name ? pvc(name) : null;
    },
    archiveWorkspace: (sessionId) => claims.archiveWorkspace(sessionId),
    deleteWorkspace: (sessionId) => claims.deleteWorkspace(sessionId),
    // First login knows the user but not where their sessions will run in a per-tenant layout:
    // the claim goes to the shared namespace then, and ensureHome creates per-tenant ones.
    async ensureHomeVolume(userId) {
      const name = await claims.ensureHomeIn(options.namespace, userId);
      return name ?? homeClaimName(userId);
    },
  };
}

/** `{ use: "@volundr/adapter-kubernetes/kubernetes-storage#kubernetesStorage", namespace, workspace, home }` */
export const kubernetesStorage = defineAdapter({
  port: 'storage',
  options: ZKubernetesStorageOptions,
  create: (options): Storage => createKubernetesStorage(options),
});

/** The same claims as the identity domain's HomeVolumes port (`homeVolumes` block). */
export const kubernetesHomeVolumes = defineAdapter({
  port: 'homeVolumes',
  options: ZKubernetesStorageOptions,
  create: (options): HomeVolumes => createKubernetesStorage(options),
});
