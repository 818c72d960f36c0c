/**
 * A session pod's Kubernetes status as a `PodStatus`, with failures turned into reasons a person
 * can act on: the image that cannot be pulled, the scheduler's own words when no node fits, the
 * container that keeps crashing (and why), memory exhaustion, a volume that never binds.
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { ContainerStatus, PodStatus } from '@volundr/core/sessions/ports/pod-manager';

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const CONFIG_ERRORS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
const sentence = (text: string) => text.trim().replace(/[.\s]+$/, '');

export interface PodStatusOptions {
  /** How long a pod may stay unschedulable before the session fails (an autoscaler may add a node). */
  unschedulableGraceMs: number;
  now: () => number;
  /** Claims known not to be bound, with why (`name (ProvisioningFailed: …)`), when looked up. */
  unboundClaims?: readonly string[];
}

/** Why one container is not ready, in words; null when nothing is wrong with it. */
function containerProblem(status: V1ContainerStatus): string | null {
  const waiting = status.state?.waiting;
  const terminated = status.state?.terminated;
  if (waiting?.reason) return waiting.reason;
  if (terminated) return `${terminated.reason ?? 'exited'}, exit code ${terminated.exitCode}`;
  return null;
}

function memoryLimit(pod: V1Pod, container: string): string | undefined {
  const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === container);
  return spec?.resources?.limits?.memory;
}

/** The first failure a person must act on, or null when the pod is merely on its way. */
export function podFailure(pod: V1Pod, options: PodStatusOptions): string | null {
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []).map((s) => ({ s, init: true })),
    ...(pod.status?.containerStatuses ?? []).map((s) => ({ s, init: false })),
  ];
  for (const { s, init } of statuses) {
    const waiting = s.state?.waiting;
    const terminated = s.state?.terminated;
    const last = s.lastState?.terminated;
    const what = init ? `init container "${s.name}"` : `container "${s.name}"`;
    if (waiting?.reason && IMAGE_PULL.has(waiting.reason)) {
      return `${what} cannot pull its image ${s.image} (${waiting.reason}: ${sentence(waiting.message ?? 'no details')}). Check the image name and tag, and that the cluster may pull from its registry (imagePullSecrets)`;
    }
    if (
      terminated?.reason === 'OOMKilled' ||
      (waiting?.reason === 'CrashLoopBackOff' && last?.reason === 'OOMKilled')
    ) {
      const limit = memoryLimit(pod, s.name);
      return `${what} ran out of memory (OOMKilled${limit ? `, limit ${limit}` : ''}). Start the session with more memory`;
    }
    if (waiting?.reason && CONFIG_ERRORS.has(waiting.reason)) {
      return `${what} could not be created (${waiting.reason}: ${sentence(waiting.message ?? 'no details')}). Check the secrets and config maps the session refers to`;
    }
    const crashed =
      waiting?.reason === 'CrashLoopBackOff'
        ? last
        : init && terminated && terminated.exitCode !== 0
          ? terminated
          : null;
    if (crashed || waiting?.reason === 'CrashLoopBackOff') {
      const detail = crashed
        ? `exit code ${crashed.exitCode}${crashed.message ? `: ${sentence(crashed.message)}` : ''}`
        : 'no exit status';
      if (init && s.name === 'git-clone')
        return `cloning the repository failed (${detail}). Check the repository URL, the branch and the git credential`;
      if (init && s.name === 'setup') return `a setup script failed (${detail}). Fix the template's setup scripts`;
      return `${what} keeps crashing (CrashLoopBackOff, ${detail})`;
    }
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    const message = sentence(scheduled.message ?? 'no node fits the pod');
    const since = scheduled.lastTransitionTime ? new Date(scheduled.lastTransitionTime).getTime() : options.now();
    if (options.now() - since < options.unschedulableGraceMs) return null;
    if (/unbound immediate PersistentVolumeClaims|persistentvolumeclaim .* not found/i.test(message)) {
      const claims = options.unboundClaims?.length ? options.unboundClaims : claimNames(pod);
      return `the session's volume${claims.length > 1 ? 's' : ''} ${claims.join(', ')} ${claims.length > 1 ? 'are' : 'is'} not bound, so the pod cannot be scheduled (scheduler: "${message}"). Check the storage class and the volume provisioner`;
    }
    const short = /Insufficient ([a-zA-Z0-9./-]*[a-zA-Z0-9])/g;
    const missing = [...new Set([...message.matchAll(short)].map((m) => m[1]))];
    return `no node can run the session${missing.length ? ` (not enough ${missing.join(', ')})` : ''}; the scheduler says: "${message}". Ask for fewer resources, or ask an administrator for capacity`;
  }
  if (pod.status?.phase === 'Failed') {
    return `the pod failed (${pod.status.reason ?? 'Failed'}${pod.status.message ? `: ${sentence(pod.status.message)}` : ''})`;
  }
  return null;
}

export const claimNames = (pod: V1Pod) =>
  (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));

/** True when the pod waits for volume claims to bind (worth looking the claims up). */
export const waitsForClaims = (pod: V1Pod | undefined) =>
  pod?.status?.conditions?.some(
    (c) => c.type === 'PodScheduled' && c.status === 'False' && /PersistentVolumeClaim/i.test(c.message ?? ''),
  ) === true;

/** `PodStatus` of a session pod; `undefined` pod → missing. */
export function podStatusOf(pod: V1Pod | undefined, options: PodStatusOptions): PodStatus {
  if (!pod) return { phase: 'missing', containers: [], message: 'the session pod does not exist' };
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  const containers: ContainerStatus[] = (pod.spec?.containers ?? []).map((c) => {
    const s = statuses.get(c.name);
    const problem = s ? containerProblem(s) : null;
    const message =
      s === undefined
        ? pod.status?.phase === 'Pending'
          ? (initMessage(pod) ?? 'waiting to start')
          : 'no status yet'
        : !s.ready
          ? (problem ?? 'not ready')
          : undefined;
    return { name: c.name, ready: s?.ready === true, ...(message ? { message } : {}) };
  });
  if (pod.metadata?.deletionTimestamp)
    return { phase: 'stopped', containers, message: 'the session pod is being deleted' };
  const failure = podFailure(pod, options);
  if (failure) return { phase: 'failed', containers, message: failure.charAt(0).toUpperCase() + failure.slice(1) };
  switch (pod.status?.phase) {
    case 'Running':
      return { phase: 'running', containers };
    case 'Succeeded':
      return { phase: 'stopped', containers, message: 'the session pod exited' };
    default:
      return { phase: 'pending', containers, ...(pendingMessage(pod) ? { message: pendingMessage(pod) } : {}) };
  }
}

function initMessage(pod: V1Pod): string | undefined {
  const running = (pod.status?.initContainerStatuses ?? []).find((s) => s.state?.running);
  if (running?.name === 'git-clone') return 'cloning';
  if (running?.name === 'setup') return 'running setup scripts';
  return undefined;
}

function pendingMessage(pod: V1Pod): string | undefined {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return `waiting for a node: ${scheduled.message ?? scheduled.reason ?? ''}`.trim();
  return initMessage(pod);
}

/** A stable fingerprint: watchers are told only when it changes. */
export const statusSignature = (status: PodStatus) =>
  `${status.phase}|${status.message ?? ''}|${status.containers.map((c) => `${c.name}:${c.ready ? 1 : 0}:${c.message ?? ''}`).join(',')}`;
