/**
 * The `kubernetes` PodManager: each start of a session is a set of objects created directly
 * through the API — a ConfigMap that owns a Pod (Skuld broker, ttyd, code-server; init
 * containers that clone and run setup), a Service, an HTTPRoute (+ Envoy Gateway
 * SecurityPolicy), a NetworkPolicy and a Secret with the start's credentials — so deleting the
 * owner collects them all. Workspace and home claims are not owned: they outlive a stop.
 * Status comes from one pod informer for all sessions. See docs/kubernetes-runtime.md.
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubernetesObject,
  makeInformer,
  type V1ConfigMap,
  type V1Pod,
} from '@kubernetes/client-node';
import type { SessionSpec } from '@volundr/contracts/session-spec';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type {
  PodHandle,
  PodManager,
  PodStatus,
  StartAttempt,
  Unsubscribe,
} from '@volundr/core/sessions/ports/pod-manager';
import type { SessionSecrets } from '@volundr/core/sessions/ports/session-secrets';
import { type Logger, silentLogger } from '@volundr/core/shared/ports/logger';
import type { z } from 'zod';
import { kubeFailure } from './kube-calls';
import { loadKubeConfig } from './kube-connection';
import { createIfMissing, ignoreNotFound, isNotFound } from './kube-errors';
import { SessionClaims } from './kubernetes-storage';
import {
  ensureSpecClaims,
  handleParts,
  listOwned,
  makeHandle,
  type PodManagerDeps,
  runtimeSettingsOf,
  sessionSelector,
  validSpec,
  ZPodManagerOptions,
} from './pod-manager-base';
import { instanceLabels, type KubeObject, renderSessionObjects } from './render/session-objects';
import type { SessionRenderInput } from './render/session-render-input';
import { collectCredentials, kubernetesSecretSource, renderCredentialsSecret } from './session-credentials';
import { ANNOTATIONS, instanceName, LABELS } from './session-names';
import { namespaceFor } from './session-namespace';
import { podStatusOf, waitsForClaims } from './status/pod-status';
import { objectKey, SessionWatchHub } from './status/session-watch-hub';
import { unboundClaims } from './status/unbound-claims';

export const BACKEND = 'kubernetes';
export const ZKubernetesPodManagerOptions = ZPodManagerOptions;
export type KubernetesPodManagerOptions = z.input<typeof ZKubernetesPodManagerOptions>;

export interface KubernetesPodManager extends PodManager {
  /** Stops the informers (the sessions keep running). */
  close(): Promise<void>;
  /** How many sessions are being watched (for metrics and tests). */
  watchedSessions(): number;
}

const RUNTIME_LABEL = 'direct';
const OWNER_COMPONENT = 'session-owner';

/** Where a custom resource lives in the API. */
const CUSTOM: Record<string, { group: string; version: string; plural: string }> = {
  HTTPRoute: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' },
  SecurityPolicy: { group: 'gateway.envoyproxy.io', version: 'v1alpha1', plural: 'securitypolicies' },
  // The typed NetworkingV1Api would drop `from` (its model calls the field `_from`): sent as written.
  NetworkPolicy: { group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies' },
};

export function createKubernetesPodManager(
  input: KubernetesPodManagerOptions,
  deps: PodManagerDeps = {},
): KubernetesPodManager {
  const options = ZKubernetesPodManagerOptions.parse(input);
  const runtime = runtimeSettingsOf(options);
  const log = (deps.logger ?? silentLogger).child({ component: 'kubernetes-runtime' });
  const now = deps.now ?? Date.now;
  const kubeConfig = deps.kubeConfig ?? loadKubeConfig(options);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const claims = new SessionClaims(core, options, options);
  const secretSource =
    deps.secretSource ?? kubernetesSecretSource(core, options.gitCredentialsNamespace ?? options.namespace);
  const allNamespaces = options.tenantNamespaces !== undefined;
  const statusOptions = { unschedulableGraceMs: options.unschedulableGraceMs, now };

  const podSelector = `${LABELS.runtime}=${RUNTIME_LABEL},${LABELS.component}=session`;
  const pods = makeInformer<V1Pod>(
    kubeConfig,
    allNamespaces ? '/api/v1/pods' : `/api/v1/namespaces/${options.namespace}/pods`,
    () =>
      allNamespaces
        ? core.listPodForAllNamespaces({ labelSelector: podSelector })
        : core.listNamespacedPod({ namespace: options.namespace, labelSelector: podSelector }),
    podSelector,
  );

  async function readPod(namespace: string, name: string): Promise<V1Pod | undefined> {
    if (hub.isSynced('pods')) {
      const cached = pods.get(name, namespace);
      if (cached) return cached;
    }
    try {
      return await core.readNamespacedPod({ name, namespace });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw kubeFailure(`read pod ${namespace}/${name}`, error);
    }
  }

  /** The status of a pod; a pod waiting for its volumes gets the claims' own story. */
  async function describe(namespace: string, pod: V1Pod | undefined): Promise<PodStatus> {
    if (!waitsForClaims(pod) || !pod) return podStatusOf(pod, statusOptions);
    return podStatusOf(pod, { ...statusOptions, unboundClaims: await unboundClaims(core, namespace, pod) });
  }

  const hub = new SessionWatchHub(
    [{ name: 'pods', informer: pods as never }],
    async (key) => {
      const [namespace, name] = key.split('/') as [string, string];
      return describe(namespace, pods.get(name, namespace));
    },
    log,
  );

  async function readOwner(namespace: string, name: string): Promise<V1ConfigMap | null> {
    try {
      return await core.readNamespacedConfigMap({ name, namespace });
    } catch (error) {
      if (isNotFound(error)) return null;
      throw kubeFailure(`read configmap ${namespace}/${name}`, error);
    }
  }

  async function deleteOwner(namespace: string, name: string) {
    await ignoreNotFound(() =>
      core.deleteNamespacedConfigMap({ name, namespace, propagationPolicy: 'Background' }),
    ).catch((error) => {
      throw kubeFailure(`delete session objects ${namespace}/${name}`, error);
    });
  }

  async function createObject(object: KubeObject): Promise<void> {
    const { namespace } = object.metadata as { namespace: string };
    const call = (): Promise<unknown> => {
      switch (object.kind) {
        case 'Pod':
          return core.createNamespacedPod({ namespace, body: object as V1Pod });
        case 'Service':
          return core.createNamespacedService({ namespace, body: object as never });
        case 'Secret':
          return core.createNamespacedSecret({ namespace, body: object as never });
        default: {
          const where = CUSTOM[object.kind];
          if (!where) throw new Error(`no API for ${object.kind}`);
          return custom.createNamespacedCustomObject({ ...where, namespace, body: object });
        }
      }
    };
    await createIfMissing(call).catch((error) => {
      throw kubeFailure(`create ${object.kind} ${namespace}/${object.metadata.name}`, error);
    });
  }

  async function start(rawSpec: SessionSpec, attempt: StartAttempt): Promise<PodHandle> {
    const spec = validSpec(rawSpec);
    const namespace = namespaceFor(options, spec.session.tenantId);
    const name = instanceName(spec.session.id, attempt.number);
    await claims.ensureNamespace(namespace);
    const existing = await readOwner(namespace, name);

    // Objects of earlier starts (a crash between start and stop) go before this one runs.
    for (const other of await listOwned(
      core,
      false,
      namespace,
      sessionSelector(spec.session.id, { [LABELS.component]: OWNER_COMPONENT, [LABELS.runtime]: RUNTIME_LABEL }),
    )) {
      if (other.name !== name) await deleteOwner(other.namespace, other.name);
    }
    await ensureSpecClaims(claims, spec);
    const credentials = await collectCredentials(spec, attempt, secretSource, deps.sessionSecrets);
    const renderInput: SessionRenderInput = {
      spec,
      runtime,
      namespace,
      runtimeLabel: RUNTIME_LABEL,
      attempt: { id: attempt.id, number: attempt.number },
      credentials: credentials
        ? { secretName: `${name}-credentials`, reportToken: credentials.reportToken, apiUrl: credentials.apiUrl }
        : null,
    };
    const objects = renderSessionObjects(renderInput);

    let owner = existing;
    try {
      if (!owner) {
        await createIfMissing(() => core.createNamespacedConfigMap({ namespace, body: objects.owner }));
        owner = await readOwner(namespace, name);
      }
      const uid = owner?.metadata?.uid;
      if (!uid) throw new Error(`the owner ${namespace}/${name} disappeared while starting`);
      const ownerReferences = [
        { apiVersion: 'v1', kind: 'ConfigMap', name, uid, controller: true, blockOwnerDeletion: true },
      ];
      const owned = <T extends KubeObject>(object: T): T => ({
        ...object,
        metadata: { ...object.metadata, ownerReferences },
      });
      if (credentials) {
        const secret = renderCredentialsSecret(
          `${name}-credentials`,
          namespace,
          {
            labels: instanceLabels(renderInput, 'credentials'),
            annotations: { [ANNOTATIONS.sessionId]: spec.session.id, [ANNOTATIONS.attemptId]: attempt.id },
          },
          credentials,
        );
        await createObject(owned(secret as KubeObject));
      }
      for (const object of [objects.service, objects.networkPolicy, objects.httpRoute, objects.securityPolicy]) {
        if (object) await createObject(owned(object));
      }
      await createObject(owned(objects.pod));
    } catch (error) {
      // Nothing half-made stays behind: the owner takes what was created with it.
      if (!existing) await deleteOwner(namespace, name).catch(() => undefined);
      throw error instanceof Error && 'code' in error && typeof error.code === 'string'
        ? error
        : kubeFailure(`start session ${spec.session.id}`, error);
    }
    log.info({ sessionId: spec.session.id, attemptId: attempt.id, namespace, name }, 'session objects created');
    return makeHandle(BACKEND, spec, attempt, namespace, name);
  }

  async function find(attempt: StartAttempt): Promise<PodHandle | null> {
    const name = instanceName(attempt.sessionId, attempt.number);
    const owners = await listOwned(
      core,
      allNamespaces,
      options.namespace,
      sessionSelector(attempt.sessionId, {
        [LABELS.component]: OWNER_COMPONENT,
        [LABELS.runtime]: RUNTIME_LABEL,
        [LABELS.attempt]: String(attempt.number),
      }),
    ).catch((error) => {
      throw kubeFailure(`look up session ${attempt.sessionId}`, error);
    });
    const owner = owners.find((o) => o.name === name && o.attemptId === attempt.id);
    if (!owner) return null;
    return {
      backend: BACKEND,
      id: objectKey(owner.namespace, name),
      attemptId: attempt.id,
      data: { namespace: owner.namespace, name, sessionId: attempt.sessionId },
    };
  }

  async function stop(handle: PodHandle): Promise<void> {
    const { namespace, name, sessionId } = handleParts(BACKEND, handle);
    await deleteOwner(namespace, name);
    await claims.archiveWorkspace(sessionId).catch((error) => {
      log.warn({ sessionId, err: error }, 'could not label the workspace archived');
    });
  }

  async function status(handle: PodHandle): Promise<PodStatus> {
    const { namespace, name } = handleParts(BACKEND, handle);
    void hub.start();
    return describe(namespace, await readPod(namespace, name));
  }

  function watch(handles: readonly PodHandle[], onChange: (handle: PodHandle, status: PodStatus) => void): Unsubscribe {
    return hub.subscribe(
      handles.map((handle) => ({ key: handleParts(BACKEND, handle).key, handle })),
      onChange,
    );
  }

  async function remove(handle: PodHandle, removal: { removeWorkspace: boolean }): Promise<void> {
    const { namespace, sessionId } = handleParts(BACKEND, handle);
    const owners = await listOwned(
      core,
      false,
      namespace,
      sessionSelector(sessionId, { [LABELS.component]: OWNER_COMPONENT, [LABELS.runtime]: RUNTIME_LABEL }),
    ).catch((error) => {
      throw kubeFailure(`list the objects of session ${sessionId}`, error);
    });
    for (const owner of owners) await deleteOwner(owner.namespace, owner.name);
    if (removal.removeWorkspace) await claims.deleteWorkspace(sessionId);
    else await claims.archiveWorkspace(sessionId);
  }

  return {
    start,
    find,
    stop,
    status,
    watch,
    delete: remove,
    close: () => hub.stop(),
    watchedSessions: () => hub.watchedCount,
  };
}

/** `{ use: "@volundr/adapter-kubernetes/direct-pod-manager#kubernetesPodManager", broker: { oidc }, … }` */
export const kubernetesPodManager = defineAdapter({
  port: 'podManager',
  options: ZKubernetesPodManagerOptions,
  requires: ['logger', 'sessionSecrets'],
  create: (options, deps: { logger: Logger; sessionSecrets: SessionSecrets }): KubernetesPodManager =>
    createKubernetesPodManager(options, { logger: deps.logger, sessionSecrets: deps.sessionSecrets }),
});

export type { KubernetesObject };
