/**
 * Pod statuses as a kubelet writes them, for a healthy pod and for each failure the simulator can
 * inject. The shapes follow what `kubectl get pod -o json` shows on a real node: phase,
 * conditions with reasons, container states with waiting/terminated reasons and messages.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isPlainObject, type JsonObject, kubeTimestamp, type StoredObject } from './kube-object';

export type PodFailure =
  /** The image cannot be pulled: waiting `ErrImagePull`, then `ImagePullBackOff`. */
  | { type: 'ImagePullError'; container?: string; message?: string }
  /** No node fits: `PodScheduled=False`, reason `Unschedulable`. */
  | { type: 'Unschedulable'; message?: string }
  /** The container keeps exiting: waiting `CrashLoopBackOff`, last state terminated `Error`. */
  | { type: 'CrashLoopBackOff'; container?: string; exitCode?: number; message?: string }
  /** Killed for memory: terminated `OOMKilled` (exit 137), then `CrashLoopBackOff` unless restartPolicy is Never. */
  | { type: 'OOMKilled'; container?: string }
  /** An init container fails (e.g. the clone): terminated `Error`, then `Init:CrashLoopBackOff`. */
  | { type: 'InitContainerError'; container?: string; exitCode?: number; message?: string }
  /** Running but never ready (a failing readiness probe). */
  | { type: 'NotReady'; container?: string };

/** Where a failure is in its course: the first report, or the back-off that follows it. */
export type FailureStage = 'first' | 'backoff';

export interface Placement {
  node: string;
  hostIP: string;
  podIP: string;
}

export const DEFAULT_UNSCHEDULABLE_MESSAGE =
  '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';

const list = (value: unknown) => (Array.isArray(value) ? value.filter(isPlainObject) : []);

export function containersOf(pod: StoredObject): { init: JsonObject[]; main: JsonObject[] } {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  return { init: list(spec.initContainers), main: list(spec.containers) };
}

const imageRef = (image: string) => (image.includes('/') ? image : `docker.io/library/${image}`);
const imageID = (image: string) =>
  `${imageRef(image).split(':')[0]}@sha256:${createHash('sha256').update(image).digest('hex')}`;
const containerID = () => `containerd://${randomBytes(32).toString('hex')}`;

function condition(type: string, status: 'True' | 'False', now: string, reason?: string, message?: string): JsonObject {
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: now,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

/** Keeps a condition's lastTransitionTime when its status did not change, as the kubelet does. */
export function carryTransitionTimes(previous: unknown, next: JsonObject[]): JsonObject[] {
  const before = list(previous);
  return next.map((c) => {
    const old = before.find((b) => b.type === c.type);
    return old && old.status === c.status && old.lastTransitionTime
      ? { ...c, lastTransitionTime: old.lastTransitionTime }
      : c;
  });
}

function previousStatus(pod: StoredObject, name: string): JsonObject | undefined {
  const status = isPlainObject(pod.status) ? pod.status : {};
  return [...list(status.containerStatuses), ...list(status.initContainerStatuses)].find((s) => s.name === name);
}

function runningState(pod: StoredObject, name: string, now: string): JsonObject {
  const old = previousStatus(pod, name);
  const state = old && isPlainObject(old.state) ? old.state : {};
  const running = isPlainObject(state.running) ? state.running : undefined;
  return { running: { startedAt: running?.startedAt ?? now } };
}

function baseStatus(c: JsonObject, pod: StoredObject): JsonObject {
  const image = String(c.image ?? '');
  const old = previousStatus(pod, String(c.name));
  return {
    name: c.name,
    image: imageRef(image),
    imageID: old?.imageID ?? imageID(image),
    containerID: old?.containerID ?? containerID(),
    restartCount: typeof old?.restartCount === 'number' ? old.restartCount : 0,
  };
}

const isTarget = (failure: PodFailure | undefined, c: JsonObject, candidates: JsonObject[]) =>
  failure !== undefined &&
  failure.type !== 'Unschedulable' &&
  (failure.container ? c.name === failure.container : c === candidates[0]);

/**
 * The status of a scheduled pod: healthy when `failure` is undefined, otherwise showing that
 * failure at `stage`.
 */
export function podStatus(
  pod: StoredObject,
  placement: Placement,
  failure?: PodFailure,
  stage: FailureStage = 'first',
): JsonObject {
  const now = kubeTimestamp();
  const { init, main } = containersOf(pod);
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const restartNever = spec.restartPolicy === 'Never';
  const old = isPlainObject(pod.status) ? pod.status : {};
  const initFailure = failure?.type === 'InitContainerError' ? failure : undefined;
  const initTarget = initFailure ? (init.find((c) => c.name === initFailure.container) ?? init[0]) : undefined;
  let initDone = true;

  const initStatuses: JsonObject[] = init.map((c) => {
    const base = baseStatus(c, pod);
    if (!initDone)
      return {
        ...base,
        ready: false,
        started: false,
        state: { waiting: { reason: 'PodInitializing' } },
        lastState: {},
      };
    if (c === initTarget && initFailure) {
      initDone = false;
      const terminated = {
        exitCode: initFailure.exitCode ?? 1,
        reason: 'Error',
        message: initFailure.message ?? 'init container failed',
        startedAt: now,
        finishedAt: now,
        containerID: base.containerID,
      };
      if (stage === 'backoff' && !restartNever)
        return {
          ...base,
          restartCount: (base.restartCount as number) + 1,
          ready: false,
          started: false,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off 10s restarting failed container=${String(c.name)} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
            },
          },
          lastState: { terminated },
        };
      return { ...base, ready: false, started: false, state: { terminated }, lastState: {} };
    }
    return {
      ...base,
      ready: true,
      started: false,
      state: {
        terminated: {
          exitCode: 0,
          reason: 'Completed',
          startedAt: now,
          finishedAt: now,
          containerID: base.containerID,
        },
      },
      lastState: {},
    };
  });

  let phase = 'Running';
  const mainStatuses: JsonObject[] = main.map((c): JsonObject => {
    const base = baseStatus(c, pod);
    if (!initDone)
      return {
        ...base,
        ready: false,
        started: false,
        state: { waiting: { reason: 'PodInitializing' } },
        lastState: {},
      };
    if (
      !isTarget(failure, c, main) ||
      failure === undefined ||
      failure.type === 'InitContainerError' ||
      failure.type === 'Unschedulable'
    )
      return { ...base, ready: true, started: true, state: runningState(pod, String(c.name), now), lastState: {} };
    const image = String(c.image ?? '');
    switch (failure.type) {
      case 'ImagePullError':
        return {
          ...base,
          ready: false,
          started: false,
          state: {
            waiting:
              stage === 'first'
                ? {
                    reason: 'ErrImagePull',
                    message:
                      failure.message ??
                      `rpc error: code = NotFound desc = failed to pull and unpack image "${imageRef(image)}": failed to resolve reference "${imageRef(image)}": ${imageRef(image)}: not found`,
                  }
                : { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` },
          },
          lastState: {},
        };
      case 'NotReady':
        return { ...base, ready: false, started: true, state: runningState(pod, String(c.name), now), lastState: {} };
    }
    const oom = failure.type === 'OOMKilled';
    const terminated = {
      exitCode: oom ? 137 : (failure.exitCode ?? 1),
      reason: oom ? 'OOMKilled' : 'Error',
      ...(!oom && failure.message ? { message: failure.message } : {}),
      startedAt: now,
      finishedAt: now,
      containerID: base.containerID,
    };
    if (restartNever) {
      phase = 'Failed';
      return { ...base, ready: false, started: false, state: { terminated }, lastState: {} };
    }
    if (oom && stage === 'first')
      return { ...base, ready: false, started: false, state: { terminated }, lastState: {} };
    return {
      ...base,
      restartCount: (base.restartCount as number) + 1,
      ready: false,
      started: false,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off 10s restarting failed container=${String(c.name)} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
        },
      },
      lastState: { terminated },
    };
  });

  if (!initDone) phase = initFailure && restartNever && stage === 'first' ? 'Failed' : 'Pending';
  // The kubelet reports Pending while any container has never started (waiting, no last state).
  else if (
    mainStatuses.some(
      (s) =>
        isPlainObject(s.state) &&
        isPlainObject(s.state.waiting) &&
        !isPlainObject((s.lastState as JsonObject | undefined)?.terminated),
    )
  )
    phase = 'Pending';
  const unready = mainStatuses.filter((s) => !s.ready).map((s) => String(s.name));
  const pendingInit = initStatuses.filter((s) => !s.ready).map((s) => String(s.name));
  const ready = unready.length === 0 && initDone;
  const conditions = carryTransitionTimes(old.conditions, [
    condition('PodReadyToStartContainers', 'True', now),
    initDone
      ? condition('Initialized', 'True', now)
      : condition(
          'Initialized',
          'False',
          now,
          'ContainersNotInitialized',
          `containers with incomplete status: [${pendingInit.join(' ')}]`,
        ),
    ready
      ? condition('Ready', 'True', now)
      : condition(
          'Ready',
          'False',
          now,
          'ContainersNotReady',
          `containers with unready status: [${unready.join(' ')}]`,
        ),
    ready
      ? condition('ContainersReady', 'True', now)
      : condition(
          'ContainersReady',
          'False',
          now,
          'ContainersNotReady',
          `containers with unready status: [${unready.join(' ')}]`,
        ),
    condition('PodScheduled', 'True', now),
  ]);
  return {
    phase,
    conditions,
    hostIP: placement.hostIP,
    hostIPs: [{ ip: placement.hostIP }],
    podIP: placement.podIP,
    podIPs: [{ ip: placement.podIP }],
    startTime: old.startTime ?? now,
    ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: mainStatuses,
    qosClass: old.qosClass ?? 'BestEffort',
  };
}

/** A pending pod no node can take. */
export function unschedulableStatus(pod: StoredObject, message: string): JsonObject {
  const old = isPlainObject(pod.status) ? pod.status : {};
  return {
    ...old,
    phase: 'Pending',
    conditions: carryTransitionTimes(old.conditions, [
      condition('PodScheduled', 'False', kubeTimestamp(), 'Unschedulable', message),
    ]),
  };
}

/** What a bound pod looks like before its containers start. */
export function scheduledStatus(pod: StoredObject): JsonObject {
  const old = isPlainObject(pod.status) ? pod.status : {};
  const now = kubeTimestamp();
  const { init, main } = containersOf(pod);
  const waiting = (reason: string) => (c: JsonObject) => ({
    name: c.name,
    image: imageRef(String(c.image ?? '')),
    imageID: '',
    ready: false,
    started: false,
    restartCount: 0,
    state: { waiting: { reason } },
    lastState: {},
  });
  const initNames = init.map((c) => String(c.name));
  const mainNames = main.map((c) => String(c.name));
  return {
    ...old,
    phase: 'Pending',
    conditions: carryTransitionTimes(old.conditions, [
      condition('PodReadyToStartContainers', 'False', now),
      init.length
        ? condition(
            'Initialized',
            'False',
            now,
            'ContainersNotInitialized',
            `containers with incomplete status: [${initNames.join(' ')}]`,
          )
        : condition('Initialized', 'True', now),
      condition(
        'Ready',
        'False',
        now,
        'ContainersNotReady',
        `containers with unready status: [${mainNames.join(' ')}]`,
      ),
      condition(
        'ContainersReady',
        'False',
        now,
        'ContainersNotReady',
        `containers with unready status: [${mainNames.join(' ')}]`,
      ),
      condition('PodScheduled', 'True', now),
    ]),
    startTime: old.startTime ?? now,
    ...(init.length ? { initContainerStatuses: init.map(waiting('PodInitializing')) } : {}),
    containerStatuses: main.map(waiting(init.length ? 'PodInitializing' : 'ContainerCreating')),
  };
}

/** Whether a pod status shows a failure a person must act on (not just "not ready yet"). */
export function podFailureReason(status: unknown): string | undefined {
  if (!isPlainObject(status)) return undefined;
  if (status.phase === 'Failed') return 'Failed';
  const scheduled = list(status.conditions).find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return 'Unschedulable';
  for (const s of [...list(status.initContainerStatuses), ...list(status.containerStatuses)]) {
    const state = isPlainObject(s.state) ? s.state : {};
    const waiting = isPlainObject(state.waiting) ? state.waiting : undefined;
    if (
      waiting &&
      [
        'ErrImagePull',
        'ImagePullBackOff',
        'CrashLoopBackOff',
        'CreateContainerConfigError',
        'InvalidImageName',
      ].includes(String(waiting.reason))
    )
      return String(waiting.reason);
    const terminated = isPlainObject(state.terminated) ? state.terminated : undefined;
    if (terminated && terminated.exitCode !== 0) return String(terminated.reason ?? 'Error');
  }
  return undefined;
}

export function podReady(status: unknown): boolean {
  if (!isPlainObject(status)) return false;
  return list(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
}
