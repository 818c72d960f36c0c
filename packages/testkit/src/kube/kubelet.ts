/**
 * The simulated data plane: a scheduler that binds pods to one of three nodes (or reports them
 * unschedulable), a kubelet that starts them (or fails them as a test asked), and a volume
 * provisioner that binds claims. Work runs on the shared queue after the write that caused it;
 * delays are 0 by default (no timers), and a pod waiting on an unbound claim is woken when the
 * claim binds, so nothing polls and 2,000 pods cost 2,000 pieces of work, not a scan per event.
 */
import type { EventRecorder } from './event-recorder';
import { FailureRules, type InjectedFailure, type ObjectMatch } from './failure-rules';
import { isPlainObject, type StoredObject } from './kube-object';
import type { ObjectRef, ObjectStore } from './object-store';
import type { PodLogs } from './pod-logs';
import {
  DEFAULT_UNSCHEDULABLE_MESSAGE,
  type FailureStage,
  type Placement,
  type PodFailure,
  podStatus,
  scheduledStatus,
  unschedulableStatus,
} from './pod-status';
import { resourceByKey } from './resource-catalog';
import type { WorkQueue } from './work-queue';

export interface KubeletDelays {
  /** Pod created → bound to a node (or reported unschedulable). */
  scheduleMs: number;
  /** Pod bound → containers started (or failed). */
  startMs: number;
  /** First failure report → back-off state (ErrImagePull → ImagePullBackOff, OOMKilled → CrashLoopBackOff). */
  backOffMs: number;
  /** Claim created → Bound. */
  claimBindMs: number;
}

export type ClaimFailure = {
  type: 'ProvisioningFailed';
  /** The ProvisioningFailed event's message. */
  message?: string;
};

const pods = resourceByKey('/pods')!;
const claims = resourceByKey('/persistentvolumeclaims')!;
const CLAIM_UNBOUND =
  '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';

const refOf = (resource: typeof pods, o: StoredObject): ObjectRef => ({
  resource,
  namespace: o.metadata.namespace ?? '',
  name: o.metadata.name,
});
const keyOf = (o: StoredObject) => `${o.metadata.namespace}/${o.metadata.name}`;

export class PodSimulator {
  readonly podRules: FailureRules<PodFailure>;
  readonly claimRules: FailureRules<ClaimFailure>;
  private readonly tokens = new Map<string, number>();
  /** Queued work per pod uid, cancelled when the pod's course changes (new token) or it is deleted. */
  private readonly queued = new Map<string, Set<() => void>>();
  private readonly waitingOnClaim = new Map<string, Set<string>>();
  private nextNode = 0;
  private nextPodIP = 10;

  constructor(
    private readonly store: ObjectStore,
    private readonly work: WorkQueue,
    private readonly events: EventRecorder,
    private readonly logs: PodLogs,
    private readonly delays: () => KubeletDelays,
    readonly nodes: readonly string[],
    onRulesChanged: () => void,
  ) {
    this.podRules = new FailureRules(onRulesChanged);
    this.claimRules = new FailureRules(onRulesChanged);
  }

  listen(): () => void {
    return this.store.onEvent((event) => {
      const o = event.object;
      if (event.resource === pods) {
        if (event.type === 'ADDED') this.queueSchedule(o);
        if (event.type === 'DELETED') {
          this.cancelQueued(o.metadata.uid);
          this.tokens.delete(o.metadata.uid);
          this.logs.forget(o.metadata.namespace ?? '', o.metadata.name);
        }
      } else if (event.resource === claims) {
        if (event.type === 'ADDED') this.queueBind(o);
        const bound = (c: StoredObject | undefined) => isPlainObject(c?.status) && c.status.phase === 'Bound';
        if (event.type === 'MODIFIED' && bound(o) && !bound(event.previous)) this.wakePodsWaitingOn(keyOf(o));
      }
    });
  }

  /** Pods not yet bound and claims not yet bound get another go (after failure rules changed). */
  resync(): void {
    for (const pod of this.store.list(pods)) {
      const spec = isPlainObject(pod.spec) ? pod.spec : {};
      if (!spec.nodeName && !pod.metadata.deletionTimestamp) this.queueSchedule(pod);
    }
    for (const claim of this.store.list(claims))
      if (isPlainObject(claim.status) && claim.status.phase === 'Pending') this.queueBind(claim);
  }

  private cancelQueued(uid: string) {
    const tasks = this.queued.get(uid);
    if (!tasks) return;
    this.queued.delete(uid);
    for (const cancel of tasks) cancel();
  }

  /** Queues work for a pod so a later change of course (or deletion) can cancel it. */
  private queue(uid: string, task: () => void, delayMs: number) {
    let tasks = this.queued.get(uid);
    if (!tasks) {
      tasks = new Set();
      this.queued.set(uid, tasks);
    }
    const own = tasks;
    const cancel = this.work.schedule(() => {
      own.delete(cancel);
      task();
    }, delayMs);
    own.add(cancel);
  }

  private token(uid: string): number {
    this.cancelQueued(uid);
    const next = (this.tokens.get(uid) ?? 0) + 1;
    this.tokens.set(uid, next);
    return next;
  }

  /** Finds the pod if it is still the one (same uid, same course of events) the work was for. */
  private current(ref: ObjectRef, uid: string, token?: number): StoredObject | undefined {
    const pod = this.store.find(ref.resource, ref.namespace, ref.name);
    if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp) return undefined;
    if (token !== undefined && this.tokens.get(uid) !== token) return undefined;
    return pod;
  }

  private queueSchedule(pod: StoredObject) {
    const ref = refOf(pods, pod);
    const uid = pod.metadata.uid;
    const token = this.token(uid);
    this.queue(uid, () => this.schedule(ref, uid, token), this.delays().scheduleMs);
  }

  private schedule(ref: ObjectRef, uid: string, token: number) {
    const pod = this.current(ref, uid, token);
    if (!pod) return;
    const spec = isPlainObject(pod.spec) ? pod.spec : {};
    if (typeof spec.nodeName === 'string' && spec.nodeName) {
      this.queue(uid, () => this.start(ref, uid, token), this.delays().startMs);
      return;
    }
    const failure = this.podRules.find(pod);
    if (failure?.type === 'Unschedulable')
      return this.reportUnschedulable(pod, failure.message ?? DEFAULT_UNSCHEDULABLE_MESSAGE);
    const unbound = this.unboundClaim(pod);
    if (unbound) {
      const key = `${pod.metadata.namespace}/${unbound.name}`;
      let waiting = this.waitingOnClaim.get(key);
      if (!waiting) {
        waiting = new Set();
        this.waitingOnClaim.set(key, waiting);
      }
      waiting.add(keyOf(pod));
      return this.reportUnschedulable(
        pod,
        unbound.missing
          ? `0/3 nodes are available: persistentvolumeclaim "${unbound.name}" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`
          : CLAIM_UNBOUND,
      );
    }
    const node = this.nodes[this.nextNode++ % this.nodes.length]!;
    const bound = this.store.mutate(ref, (p) => {
      p.spec = { ...(p.spec as object), nodeName: node };
      p.status = scheduledStatus(p);
    });
    if (!bound) return;
    this.events.record(
      bound,
      'Normal',
      'Scheduled',
      `Successfully assigned ${ref.namespace}/${ref.name} to ${node}`,
      'default-scheduler',
    );
    this.queue(uid, () => this.start(ref, uid, token), this.delays().startMs);
  }

  private reportUnschedulable(pod: StoredObject, message: string) {
    const updated = this.store.mutate(refOf(pods, pod), (p) => {
      p.status = unschedulableStatus(p, message);
    });
    if (updated && updated !== pod)
      this.events.record(updated, 'Warning', 'FailedScheduling', message, 'default-scheduler');
  }

  private unboundClaim(pod: StoredObject): { name: string; missing: boolean } | undefined {
    const spec = isPlainObject(pod.spec) ? pod.spec : {};
    for (const volume of Array.isArray(spec.volumes) ? spec.volumes : []) {
      if (!isPlainObject(volume) || !isPlainObject(volume.persistentVolumeClaim)) continue;
      const name = String(volume.persistentVolumeClaim.claimName);
      const claim = this.store.find(claims, pod.metadata.namespace, name);
      if (!claim) return { name, missing: true };
      if (!isPlainObject(claim.status) || claim.status.phase !== 'Bound') return { name, missing: false };
    }
    return undefined;
  }

  private wakePodsWaitingOn(claimKey: string) {
    const waiting = this.waitingOnClaim.get(claimKey);
    if (!waiting) return;
    this.waitingOnClaim.delete(claimKey);
    for (const podKey of waiting) {
      const [namespace, name] = podKey.split('/') as [string, string];
      const pod = this.store.find(pods, namespace, name);
      if (pod) this.queueSchedule(pod);
    }
  }

  private placement(pod: StoredObject): Placement {
    const spec = isPlainObject(pod.spec) ? pod.spec : {};
    const status = isPlainObject(pod.status) ? pod.status : {};
    const node = typeof spec.nodeName === 'string' && spec.nodeName ? spec.nodeName : this.nodes[0]!;
    const index = Math.max(0, this.nodes.indexOf(node));
    let podIP = typeof status.podIP === 'string' ? status.podIP : undefined;
    if (!podIP) {
      const n = this.nextPodIP++;
      podIP = `10.244.${(n >> 8) & 255}.${n & 255}`;
    }
    return { node, hostIP: `10.0.0.${11 + index}`, podIP };
  }

  private start(ref: ObjectRef, uid: string, token: number) {
    const pod = this.current(ref, uid, token);
    if (!pod) return;
    const failure = this.podRules.find(pod);
    this.applyFailure(ref, pod, failure?.type === 'Unschedulable' ? undefined : failure, token);
  }

  /** Writes the pod's status for `failure` (healthy when undefined) and queues its back-off stage. */
  private applyFailure(
    ref: ObjectRef,
    pod: StoredObject,
    failure: PodFailure | undefined,
    token: number,
  ): StoredObject {
    const placement = this.placement(pod);
    const updated = this.writeStatus(ref, pod, placement, failure, 'first');
    if (!failure) {
      for (const c of Array.isArray((pod.spec as { containers?: unknown }).containers)
        ? (pod.spec as { containers: unknown[] }).containers
        : [])
        if (isPlainObject(c))
          this.events.record(
            updated,
            'Normal',
            'Started',
            `Started container ${String(c.name)}`,
            'kubelet',
            placement.node,
          );
      return updated;
    }
    const spec = isPlainObject(pod.spec) ? pod.spec : {};
    const restarts = spec.restartPolicy !== 'Never';
    const hasBackoff =
      failure.type === 'ImagePullError' ||
      (restarts && (failure.type === 'OOMKilled' || failure.type === 'InitContainerError'));
    this.recordFailure(updated, failure, placement.node, 'first');
    if (hasBackoff)
      this.queue(
        pod.metadata.uid,
        () => {
          const again = this.current(ref, pod.metadata.uid, token);
          if (!again) return;
          const later = this.writeStatus(ref, again, this.placement(again), failure, 'backoff');
          this.recordFailure(later, failure, placement.node, 'backoff');
        },
        this.delays().backOffMs,
      );
    return updated;
  }

  private writeStatus(
    ref: ObjectRef,
    pod: StoredObject,
    placement: Placement,
    failure: PodFailure | undefined,
    stage: FailureStage,
  ) {
    return (
      this.store.mutate(ref, (p) => {
        p.spec = { ...(p.spec as object), nodeName: placement.node };
        p.status = podStatus(p, placement, failure, stage);
      }) ?? pod
    );
  }

  private recordFailure(pod: StoredObject, failure: PodFailure, node: string, stage: FailureStage) {
    const spec = isPlainObject(pod.spec) ? pod.spec : {};
    const containers = [
      ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
      ...(Array.isArray(spec.containers) ? spec.containers : []),
    ].filter(isPlainObject);
    const main = (Array.isArray(spec.containers) ? spec.containers : []).filter(isPlainObject);
    const init = (Array.isArray(spec.initContainers) ? spec.initContainers : []).filter(isPlainObject);
    const target =
      'container' in failure && failure.container
        ? containers.find((c) => c.name === failure.container)
        : failure.type === 'InitContainerError'
          ? init[0]
          : main[0];
    const name = String(target?.name ?? '');
    const image = String(target?.image ?? '');
    const where = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    switch (failure.type) {
      case 'ImagePullError':
        if (stage === 'first') {
          this.events.record(
            pod,
            'Warning',
            'Failed',
            `Failed to pull image "${image}": ${failure.message ?? 'not found'}`,
            'kubelet',
            node,
          );
          this.events.record(pod, 'Warning', 'Failed', 'Error: ErrImagePull', 'kubelet', node);
        } else this.events.record(pod, 'Warning', 'BackOff', `Back-off pulling image "${image}"`, 'kubelet', node);
        return;
      case 'CrashLoopBackOff':
      case 'InitContainerError':
        if (stage === 'first' && failure.message)
          this.logs.append(pod.metadata.namespace ?? '', pod.metadata.name, name, failure.message);
        if (stage === 'first' && failure.type === 'InitContainerError' && spec.restartPolicy !== 'Never') return;
        this.events.record(
          pod,
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${name} in pod ${where}`,
          'kubelet',
          node,
        );
        return;
      case 'OOMKilled':
        if (stage === 'backoff')
          this.events.record(
            pod,
            'Warning',
            'BackOff',
            `Back-off restarting failed container ${name} in pod ${where}`,
            'kubelet',
            node,
          );
        return;
      case 'NotReady':
        this.events.record(
          pod,
          'Warning',
          'Unhealthy',
          'Readiness probe failed: HTTP probe failed with statuscode: 503',
          'kubelet',
          node,
        );
        return;
      case 'Unschedulable':
        return;
    }
  }

  /** Applies a failure to an existing pod now (for a running pod: it breaks). */
  failPod(namespace: string, name: string, failure: PodFailure): StoredObject {
    const pod = this.store.get(pods, namespace, name);
    const ref = refOf(pods, pod);
    const token = this.token(pod.metadata.uid);
    if (failure.type === 'Unschedulable') {
      const message = failure.message ?? DEFAULT_UNSCHEDULABLE_MESSAGE;
      const updated = this.store.mutate(ref, (p) => {
        p.status = unschedulableStatus(p, message);
      });
      if (updated) this.events.record(updated, 'Warning', 'FailedScheduling', message, 'default-scheduler');
      return updated ?? pod;
    }
    return this.applyFailure(ref, pod, failure, token);
  }

  /** Brings a pod back to Running and Ready (restart counts are kept). */
  recoverPod(namespace: string, name: string): StoredObject {
    const pod = this.store.get(pods, namespace, name);
    const ref = refOf(pods, pod);
    const token = this.token(pod.metadata.uid);
    return this.applyFailure(ref, pod, undefined, token);
  }

  private queueBind(claim: StoredObject) {
    const ref = refOf(claims, claim);
    const uid = claim.metadata.uid;
    this.work.schedule(() => this.bind(ref, uid), this.delays().claimBindMs);
  }

  private bind(ref: ObjectRef, uid: string) {
    const claim = this.store.find(claims, ref.namespace, ref.name);
    if (!claim || claim.metadata.uid !== uid || claim.metadata.deletionTimestamp) return;
    if (isPlainObject(claim.status) && claim.status.phase === 'Bound') return;
    const failure = this.claimRules.find(claim);
    const spec = isPlainObject(claim.spec) ? claim.spec : {};
    const storageClass = typeof spec.storageClassName === 'string' ? spec.storageClassName : 'standard';
    if (failure) {
      this.events.record(
        claim,
        'Warning',
        'ProvisioningFailed',
        failure.message ??
          `failed to provision volume with StorageClass "${storageClass}": rpc error: code = ResourceExhausted desc = insufficient capacity`,
        'persistentvolume-controller',
      );
      return;
    }
    const volume = `pvc-${uid}`;
    const requests =
      isPlainObject(spec.resources) && isPlainObject(spec.resources.requests) ? spec.resources.requests : {};
    const bound = this.store.mutate(ref, (c) => {
      c.metadata.annotations = {
        ...c.metadata.annotations,
        'pv.kubernetes.io/bind-completed': 'yes',
        'pv.kubernetes.io/bound-by-controller': 'yes',
        'volume.kubernetes.io/storage-provisioner': 'emulator.volundr.dev/hostpath',
      };
      c.spec = { ...(c.spec as object), volumeName: volume };
      c.status = {
        phase: 'Bound',
        accessModes: spec.accessModes ?? ['ReadWriteOnce'],
        capacity: { storage: requests.storage },
      };
    });
    if (bound)
      this.events.record(
        bound,
        'Normal',
        'ProvisioningSucceeded',
        `Successfully provisioned volume ${volume}`,
        'emulator.volundr.dev/hostpath',
      );
  }

  /** Test helper: rules for future work, plus the current failure of a pod by match. */
  failPods(match: ObjectMatch, failure: PodFailure): InjectedFailure {
    return this.podRules.add(match, failure);
  }

  failClaims(match: ObjectMatch, failure: ClaimFailure): InjectedFailure {
    return this.claimRules.add(match, failure);
  }
}
