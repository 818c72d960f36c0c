/**
 * What the direct and the Flux pod managers share: options, handles, claims, the secrets of a
 * start, and finding a start's owner object again after a crash.
 */
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { type SessionSpec, ZSessionSpec } from '@volundr/contracts/session-spec';
import { DomainError } from '@volundr/core/errors';
import type { PodHandle, StartAttempt } from '@volundr/core/sessions/ports/pod-manager';
import type { SessionSecrets } from '@volundr/core/sessions/ports/session-secrets';
import type { Logger } from '@volundr/core/shared/ports/logger';
import { z } from 'zod';
import { ZKubeConnection } from './kube-connection';
import type { SessionClaims } from './kubernetes-storage';
import { ZVolumeSettings } from './kubernetes-storage';
import { type RuntimeSettings, ZRuntimeSettings } from './runtime-settings';
import type { SessionSecretSource } from './session-credentials';
import { LABELS, sessionKey } from './session-names';
import { ZSessionNamespaces } from './session-namespace';

export const ZPodManagerOptions = z.strictObject({
  ...ZKubeConnection.shape,
  ...ZSessionNamespaces.shape,
  ...ZVolumeSettings.shape,
  ...ZRuntimeSettings.shape,
  /** Where the Secrets named by git credential references live (default: the session's namespace). */
  gitCredentialsNamespace: z.string().min(1).max(63).optional(),
  /** How long a pod may stay unschedulable before the session fails (give a cluster autoscaler time). */
  unschedulableGraceMs: z.int().min(0).max(3_600_000).default(0),
});

export interface PodManagerDeps {
  /** Default: from the `kubeconfig`/`context` options. */
  kubeConfig?: KubeConfig;
  logger?: Logger;
  /** Where git credential values come from (default: Kubernetes Secrets in `gitCredentialsNamespace`). */
  secretSource?: SessionSecretSource;
  /** The broker's report URL and session-scoped token for each start (absent: brokers do not report). */
  sessionSecrets?: SessionSecrets;
  now?: () => number;
}

export function runtimeSettingsOf(options: Record<string, unknown>): RuntimeSettings {
  const picked = Object.fromEntries(Object.keys(ZRuntimeSettings.shape).map((k) => [k, options[k]]));
  return ZRuntimeSettings.parse(JSON.parse(JSON.stringify(picked)));
}

export function validSpec(spec: SessionSpec): SessionSpec {
  const parsed = ZSessionSpec.safeParse(spec);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new DomainError(
      'SPEC_INVALID',
      `The session spec is invalid at ${first?.path.join('.') || 'its root'}: ${first?.message}`,
    );
  }
  return parsed.data;
}

const ZHandleData = z.object({ namespace: z.string().min(1), name: z.string().min(1), sessionId: z.string().min(1) });

export interface HandleParts {
  namespace: string;
  name: string;
  sessionId: string;
  key: string;
}

export function makeHandle(
  backend: string,
  spec: SessionSpec,
  attempt: StartAttempt,
  namespace: string,
  name: string,
): PodHandle {
  return {
    backend,
    id: `${namespace}/${name}`,
    attemptId: attempt.id,
    ...(spec.gateway?.endpoints ? { endpoints: spec.gateway.endpoints } : {}),
    data: { namespace, name, sessionId: spec.session.id },
  };
}

export function handleParts(backend: string, handle: PodHandle): HandleParts {
  const data = ZHandleData.safeParse(handle.data);
  if (handle.backend !== backend || !data.success)
    throw new DomainError('BAD_REQUEST', `Not a ${backend} runtime handle (backend "${String(handle.backend)}").`);
  return { ...data.data, key: `${data.data.namespace}/${data.data.name}` };
}

/** The workspace and home claims the spec mounts exist (created with the configured settings if not). */
export async function ensureSpecClaims(claims: SessionClaims, spec: SessionSpec): Promise<void> {
  const ref = { sessionId: spec.session.id, ownerId: spec.session.ownerId, tenantId: spec.session.tenantId };
  const claimOf = (volume: string | undefined) => {
    const source = spec.pod.volumes.find((v) => v.name === volume)?.source;
    return source?.kind === 'persistentVolumeClaim' ? source.claimName : null;
  };
  const workspace = claimOf(spec.workspace.volume);
  if (workspace) {
    const made = await claims.ensureWorkspace(ref);
    if (made !== workspace)
      throw new DomainError(
        'SPEC_INVALID',
        `Session ${spec.session.id}: the workspace claim "${workspace}" is not this runtime's ("${made}"); use the Kubernetes storage adapter with the same namespace settings.`,
      );
  }
  if (spec.home.enabled && claimOf(spec.home.volume)) await claims.ensureHome(ref);
}

/** Label selector of every object of one session (or one start of it). */
export const sessionSelector = (sessionId: string, extra: Record<string, string> = {}) =>
  [`${LABELS.session}=${sessionKey(sessionId)}`, ...Object.entries(extra).map(([k, v]) => `${k}=${v}`)].join(',');

/** The owner objects (ConfigMaps or HelmReleases) of a session's starts, as `{namespace, name}`. */
export async function listOwned(
  core: CoreV1Api,
  allNamespaces: boolean,
  namespace: string,
  labelSelector: string,
): Promise<{ namespace: string; name: string; attemptId?: string }[]> {
  const list = allNamespaces
    ? await core.listConfigMapForAllNamespaces({ labelSelector })
    : await core.listNamespacedConfigMap({ namespace, labelSelector });
  return list.items.map((c) => ({
    namespace: c.metadata?.namespace ?? namespace,
    name: c.metadata?.name ?? '',
    ...(c.data?.['attempt-id'] ? { attemptId: c.data['attempt-id'] } : {}),
  }));
}
