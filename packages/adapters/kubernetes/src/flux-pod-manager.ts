/**
 * The `flux` PodManager: each start of a session is one HelmRelease of the session chart
 * (deploy/charts/volundr-session) with the merged SessionSpec as values; Flux's helm-controller
 * installs the Pod, Service, HTTPRoute, SecurityPolicy and NetworkPolicy, and uninstalls them
 * when the release is deleted. The start's credentials go into a Secret owned by the release
 * (never into values, which anyone reading HelmReleases could see). Readiness is the release's
 * Ready condition and the pod's readiness, from informers on both for every session at once.
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubernetesListObject,
  type KubernetesObject,
  makeInformer,
  type V1Pod,
} from '@kubernetes/client-node';
import type { SessionSpec } from '@volundr/contracts/session-spec';
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { DomainError } from '@volundr/core/errors';
import type {
  PodHandle,
  PodManager,
  PodStatus,
  StartAttempt,
  Unsubscribe,
} from '@volundr/core/sessions/ports/pod-manager';
import type { SessionSecrets } from '@volundr/core/sessions/ports/session-secrets';
import { type Logger, silentLogger } from '@volundr/core/shared/ports/logger';
import { z } from 'zod';
import { kubeFailure } from './kube-calls';
import { loadKubeConfig } from './kube-connection';
import { createIfMissing, ignoreNotFound, isNotFound } from './kube-errors';
import { SessionClaims } from './kubernetes-storage';
import {
  ensureSpecClaims,
  handleParts,
  makeHandle,
  type PodManagerDeps,
  runtimeSettingsOf,
  sessionSelector,
  validSpec,
  ZPodManagerOptions,
} from './pod-manager-base';
import { chartValues, ZChartValues } from './render/chart-values';
import { instanceLabels } from './render/session-objects';
import type { SessionRenderInput } from './render/session-render-input';
import { collectCredentials, kubernetesSecretSource, renderCredentialsSecret } from './session-credentials';
import { ANNOTATIONS, instanceName, LABELS, sessionMetadata } from './session-names';
import { namespaceFor } from './session-namespace';
import { podStatusOf, waitsForClaims } from './status/pod-status';
import { objectKey, SessionWatchHub } from './status/session-watch-hub';
import { unboundClaims } from './status/unbound-claims';

export const FLUX_BACKEND = 'flux';
const RUNTIME_LABEL = 'flux';
const HELM_RELEASES = { group: 'helm.toolkit.fluxcd.io', version: 'v2', plural: 'helmreleases' };
const ZDuration = z.string().regex(/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/, 'a duration (5m, 1h30m)');

export const ZFluxPodManagerOptions = z.strictObject({
  ...ZPodManagerOptions.shape,
  /** Where Flux gets the session chart: a HelmRepository / GitRepository / OCIRepository it already reconciles. */
  chart: z
    .strictObject({
      name: z.string().min(1).max(253).default('volundr-session'),
      version: z.string().min(1).max(100).default('0.1.0'),
      sourceRef: z.strictObject({
        kind: z.enum(['HelmRepository', 'GitRepository', 'OCIRepository']).default('HelmRepository'),
        name: z.string().min(1).max(253),
        namespace: z.string().min(1).max(63).optional(),
      }),
    })
    .prefault({ sourceRef: { name: 'volundr' } }),
  interval: ZDuration.default('5m'),
  /** How long Helm waits for the session's pod to be ready before the release fails. */
  timeout: ZDuration.default('5m'),
});
export type FluxPodManagerOptions = z.input<typeof ZFluxPodManagerOptions>;

export interface FluxPodManager extends PodManager {
  close(): Promise<void>;
  watchedSessions(): number;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface HelmReleaseObject extends KubernetesObject {
  status?: { conditions?: Condition[]; observedGeneration?: number };
}

const FAILED_REASONS = new Set([
  'InstallFailed',
  'UpgradeFailed',
  'ArtifactFailed',
  'InitFailed',
  'ChartPullError',
  'ChartPullFailed',
  'ReconciliationFailed',
  'RollbackFailed',
  'UninstallFailed',
  'TestFailed',
]);

/** A session's release and pod, as one status: the pod's own failure reason wins over Helm's summary of it. */
export function releaseStatus(release: HelmReleaseObject | undefined, pod: PodStatus | null): PodStatus {
  if (!release) return { phase: 'missing', containers: [], message: 'the session release does not exist' };
  const containers = pod?.containers ?? [];
  if (release.metadata?.deletionTimestamp)
    return { phase: 'stopped', containers, message: 'the session release is being uninstalled' };
  if (pod?.phase === 'failed') return pod;
  const conditions = release.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const stalled = conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
  if (ready?.status === 'False' && (FAILED_REASONS.has(ready.reason ?? '') || stalled)) {
    return {
      phase: 'failed',
      containers,
      message: `Flux could not install the session (${ready.reason}: ${(ready.message ?? '').replace(/[.\s]+$/, '')})`,
    };
  }
  if (ready?.status === 'True' && pod?.phase === 'running') return { phase: 'running', containers };
  return {
    phase: 'pending',
    containers,
    message: pod?.message ?? (ready?.message ? `Flux: ${ready.message}` : 'waiting for Flux to install the session'),
  };
}

export function createFluxPodManager(input: FluxPodManagerOptions, deps: PodManagerDeps = {}): FluxPodManager {
  const options = ZFluxPodManagerOptions.parse(input);
  const runtime = runtimeSettingsOf(options);
  const log = (deps.logger ?? silentLogger).child({ component: 'flux-runtime' });
  const now = deps.now ?? Date.now;
  const kubeConfig = deps.kubeConfig ?? loadKubeConfig(options);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const claims = new SessionClaims(core, options, options);
  const secretSource =
    deps.secretSource ?? kubernetesSecretSource(core, options.gitCredentialsNamespace ?? options.namespace);
  const allNamespaces = options.tenantNamespaces !== undefined;
  const statusOptions = { unschedulableGraceMs: options.unschedulableGraceMs, now };
  const ns = options.namespace;

  const podSelector = `${LABELS.runtime}=${RUNTIME_LABEL},${LABELS.component}=session`;
  const releaseSelector = `${LABELS.runtime}=${RUNTIME_LABEL},${LABELS.component}=release`;
  const pods = makeInformer<V1Pod>(
    kubeConfig,
    allNamespaces ? '/api/v1/pods' : `/api/v1/namespaces/${ns}/pods`,
    () =>
      allNamespaces
        ? core.listPodForAllNamespaces({ labelSelector: podSelector })
        : core.listNamespacedPod({ namespace: ns, labelSelector: podSelector }),
    podSelector,
  );
  const listReleases = async (labelSelector: string, namespace?: string) =>
    (namespace === undefined
      ? await custom.listCustomObjectForAllNamespaces({ ...HELM_RELEASES, labelSelector })
      : await custom.listNamespacedCustomObject({
          ...HELM_RELEASES,
          namespace,
          labelSelector,
        })) as KubernetesListObject<HelmReleaseObject>;
  const releases = makeInformer<HelmReleaseObject>(
    kubeConfig,
    allNamespaces
      ? `/apis/${HELM_RELEASES.group}/${HELM_RELEASES.version}/${HELM_RELEASES.plural}`
      : `/apis/${HELM_RELEASES.group}/${HELM_RELEASES.version}/namespaces/${ns}/${HELM_RELEASES.plural}`,
    () => listReleases(releaseSelector, allNamespaces ? undefined : ns),
    releaseSelector,
  );

  async function describePod(namespace: string, pod: V1Pod | undefined): Promise<PodStatus | null> {
    if (!pod) return null;
    if (!waitsForClaims(pod)) return podStatusOf(pod, statusOptions);
    return podStatusOf(pod, { ...statusOptions, unboundClaims: await unboundClaims(core, namespace, pod) });
  }

  const hub = new SessionWatchHub(
    [
      { name: 'pods', informer: pods as never },
      { name: 'releases', informer: releases as never },
    ],
    async (key) => {
      const [namespace, name] = key.split('/') as [string, string];
      return releaseStatus(releases.get(name, namespace), await describePod(namespace, pods.get(name, namespace)));
    },
    log,
  );

  async function readRelease(namespace: string, name: string): Promise<HelmReleaseObject | undefined> {
    if (hub.isSynced('releases')) {
      const cached = releases.get(name, namespace);
      if (cached) return cached;
    }
    try {
      return (await custom.getNamespacedCustomObject({ ...HELM_RELEASES, namespace, name })) as HelmReleaseObject;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw kubeFailure(`read HelmRelease ${namespace}/${name}`, error);
    }
  }

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

  async function deleteRelease(namespace: string, name: string) {
    await ignoreNotFound(() => custom.deleteNamespacedCustomObject({ ...HELM_RELEASES, namespace, name })).catch(
      (error) => {
        throw kubeFailure(`delete HelmRelease ${namespace}/${name}`, error);
      },
    );
  }

  /** A session's releases in one namespace (undefined: all namespaces). */
  const releasesOf = async (namespace: string | undefined, sessionId: string, extra: Record<string, string> = {}) =>
    (
      await listReleases(
        sessionSelector(sessionId, { [LABELS.runtime]: RUNTIME_LABEL, [LABELS.component]: 'release', ...extra }),
        namespace,
      ).catch((error) => {
        throw kubeFailure(`list the releases of session ${sessionId}`, error);
      })
    ).items;

  async function start(rawSpec: SessionSpec, attempt: StartAttempt): Promise<PodHandle> {
    const spec = validSpec(rawSpec);
    const namespace = namespaceFor(options, spec.session.tenantId);
    const name = instanceName(spec.session.id, attempt.number);
    await claims.ensureNamespace(namespace);
    for (const other of await releasesOf(namespace, spec.session.id)) {
      if (other.metadata?.name && other.metadata.name !== name) await deleteRelease(namespace, other.metadata.name);
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
    const values = chartValues(renderInput);
    const checked = ZChartValues.safeParse(values);
    if (!checked.success) {
      const first = checked.error.issues[0];
      throw new DomainError(
        'SPEC_INVALID',
        `The session chart's values are invalid at ${first?.path.join('.')}: ${first?.message}`,
      );
    }
    const metadata = sessionMetadata(spec.session);
    const release = {
      apiVersion: `${HELM_RELEASES.group}/${HELM_RELEASES.version}`,
      kind: 'HelmRelease',
      metadata: {
        name,
        namespace,
        labels: instanceLabels(renderInput, 'release'),
        annotations: { ...metadata.annotations, [ANNOTATIONS.attemptId]: attempt.id },
      },
      spec: {
        releaseName: name,
        interval: options.interval,
        timeout: options.timeout,
        chart: {
          spec: {
            chart: options.chart.name,
            version: options.chart.version,
            sourceRef: {
              kind: options.chart.sourceRef.kind,
              name: options.chart.sourceRef.name,
              ...(options.chart.sourceRef.namespace ? { namespace: options.chart.sourceRef.namespace } : {}),
            },
          },
        },
        install: { remediation: { retries: 0 } },
        upgrade: { remediation: { retries: 0 } },
        values,
      },
    };
    await createIfMissing(() =>
      custom.createNamespacedCustomObject({ ...HELM_RELEASES, namespace, body: release }),
    ).catch((error) => {
      throw kubeFailure(`create HelmRelease ${namespace}/${name}`, error);
    });
    if (credentials) {
      const created = await readRelease(namespace, name);
      const uid = created?.metadata?.uid;
      if (!uid)
        throw new DomainError('DEPENDENCY_UNAVAILABLE', `HelmRelease ${namespace}/${name} disappeared while starting`);
      const secret = renderCredentialsSecret(
        `${name}-credentials`,
        namespace,
        {
          labels: instanceLabels(renderInput, 'credentials'),
          annotations: { [ANNOTATIONS.sessionId]: spec.session.id, [ANNOTATIONS.attemptId]: attempt.id },
        },
        credentials,
      );
      secret.metadata.ownerReferences = [
        { apiVersion: release.apiVersion, kind: 'HelmRelease', name, uid, controller: true, blockOwnerDeletion: true },
      ];
      await createIfMissing(() => core.createNamespacedSecret({ namespace, body: secret })).catch((error) => {
        throw kubeFailure(`create Secret ${namespace}/${name}-credentials`, error);
      });
    }
    log.info({ sessionId: spec.session.id, attemptId: attempt.id, namespace, name }, 'session release created');
    return makeHandle(FLUX_BACKEND, spec, attempt, namespace, name);
  }

  async function find(attempt: StartAttempt): Promise<PodHandle | null> {
    const name = instanceName(attempt.sessionId, attempt.number);
    const found = await releasesOf(allNamespaces ? undefined : ns, attempt.sessionId, {
      [LABELS.attempt]: String(attempt.number),
    });
    const release = found.find(
      (r) => r.metadata?.name === name && r.metadata.annotations?.[ANNOTATIONS.attemptId] === attempt.id,
    );
    const namespace = release?.metadata?.namespace;
    if (!release || !namespace) return null;
    return {
      backend: FLUX_BACKEND,
      id: objectKey(namespace, name),
      attemptId: attempt.id,
      data: { namespace, name, sessionId: attempt.sessionId },
    };
  }

  async function stop(handle: PodHandle): Promise<void> {
    const { namespace, name, sessionId } = handleParts(FLUX_BACKEND, handle);
    await deleteRelease(namespace, name);
    await claims.archiveWorkspace(sessionId).catch((error) => {
      log.warn({ sessionId, err: error }, 'could not label the workspace archived');
    });
  }

  async function status(handle: PodHandle): Promise<PodStatus> {
    const { namespace, name } = handleParts(FLUX_BACKEND, handle);
    void hub.start();
    const [release, pod] = await Promise.all([readRelease(namespace, name), readPod(namespace, name)]);
    return releaseStatus(release, await describePod(namespace, pod));
  }

  function watch(handles: readonly PodHandle[], onChange: (handle: PodHandle, status: PodStatus) => void): Unsubscribe {
    return hub.subscribe(
      handles.map((handle) => ({ key: handleParts(FLUX_BACKEND, handle).key, handle })),
      onChange,
    );
  }

  async function remove(handle: PodHandle, removal: { removeWorkspace: boolean }): Promise<void> {
    const { namespace, sessionId } = handleParts(FLUX_BACKEND, handle);
    for (const release of await releasesOf(namespace, sessionId)) {
      if (release.metadata?.name) await deleteRelease(namespace, release.metadata.name);
    }
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

/** `{ use: "@volundr/adapter-kubernetes/flux-pod-manager#fluxPodManager", chart: { sourceRef }, broker: { oidc }, … }` */
export const fluxPodManager = defineAdapter({
  port: 'podManager',
  options: ZFluxPodManagerOptions,
  requires: ['logger', 'sessionSecrets'],
  create: (options, deps: { logger: Logger; sessionSecrets: SessionSecrets }): FluxPodManager =>
    createFluxPodManager(options, { logger: deps.logger, sessionSecrets: deps.sessionSecrets }),
});
