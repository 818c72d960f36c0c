import type { SessionSpec } from '@volundr/contracts/session-spec';
import type { PodHandle, PodManager, PodStatus, StartAttempt } from '../sessions/ports/pod-manager';

class Gate {
  open!: () => void;
  fail!: (error: Error) => void;
  readonly wait = new Promise<void>((resolve, reject) => {
    this.open = resolve;
    this.fail = reject;
  });
}

interface Pod {
  handle: PodHandle;
  spec: SessionSpec;
  status: PodStatus;
}

/**
 * Test double of a runtime. `ready` mode: pods are running with every container ready at
 * once; `manual` mode: pods stay pending until `markReady`. Failures on demand.
 */
export class InMemoryPodManager implements PodManager {
  readonly pods = new Map<string, Pod>();
  readonly startCalls: StartAttempt[] = [];
  readonly stopCalls: PodHandle[] = [];
  readonly deleteCalls: { handle: PodHandle; removeWorkspace: boolean }[] = [];
  private watchers = new Set<{ ids: Set<string>; onChange: (h: PodHandle, s: PodStatus) => void }>();
  private nextStart: { kind: 'fail'; message: string } | { kind: 'hold'; submit: boolean; gate: Gate } | null = null;
  failStop: string | null = null;

  constructor(private mode: 'ready' | 'manual' = 'ready') {}

  failNextStart(message: string) {
    this.nextStart = { kind: 'fail', message };
  }
  /**
   * The next start does not return until released (or fails when abandoned, as if its process
   * died in it); `submit` decides whether the pod exists meanwhile.
   */
  holdNextStart(submit: boolean): { release(): void; abandon(): void } {
    const gate = new Gate();
    this.nextStart = { kind: 'hold', submit, gate };
    return { release: () => gate.open(), abandon: () => gate.fail(new Error('the process died')) };
  }

  /** Starts made for a session (to prove none ran twice). */
  startsOf(sessionId: string) {
    return this.startCalls.filter((a) => a.sessionId === sessionId);
  }

  async start(spec: SessionSpec, attempt: StartAttempt) {
    this.startCalls.push(attempt);
    const planned = this.nextStart;
    this.nextStart = null;
    if (planned?.kind === 'fail') throw new Error(planned.message);
    const existing = this.pods.get(attempt.id);
    const pod = existing ?? this.create(spec, attempt);
    if (planned?.kind === 'hold') {
      if (!planned.submit) this.pods.delete(attempt.id);
      await planned.gate.wait;
      if (!planned.submit) this.create(spec, attempt);
    }
    return structuredClone(pod.handle);
  }

  private create(spec: SessionSpec, attempt: StartAttempt): Pod {
    const ready = this.mode === 'ready';
    const pod: Pod = {
      handle: { backend: 'memory', id: `pod-${attempt.id}`, attemptId: attempt.id },
      spec,
      status: {
        phase: ready ? 'running' : 'pending',
        containers: spec.pod.containers.map((c) => ({ name: c.name, ready })),
      },
    };
    this.pods.set(attempt.id, pod);
    return pod;
  }

  async find(attempt: StartAttempt) {
    const pod = this.pods.get(attempt.id);
    return pod ? structuredClone(pod.handle) : null;
  }

  async stop(handle: PodHandle) {
    this.stopCalls.push(handle);
    if (this.failStop) throw new Error(this.failStop);
    const pod = this.pods.get(handle.attemptId);
    if (pod)
      this.change(pod, { phase: 'stopped', containers: pod.status.containers.map((c) => ({ ...c, ready: false })) });
  }

  async status(handle: PodHandle): Promise<PodStatus> {
    const pod = this.pods.get(handle.attemptId);
    return pod ? structuredClone(pod.status) : { phase: 'missing', containers: [] };
  }

  watch(handles: readonly PodHandle[], onChange: (h: PodHandle, s: PodStatus) => void) {
    const watcher = { ids: new Set(handles.map((h) => h.attemptId)), onChange };
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
    };
  }

  get watcherCount() {
    return this.watchers.size;
  }

  async delete(handle: PodHandle, options: { removeWorkspace: boolean }) {
    this.deleteCalls.push({ handle, removeWorkspace: options.removeWorkspace });
    this.pods.delete(handle.attemptId);
  }

  /** Marks containers of the session's latest pod ready (all when none are named). */
  markReady(sessionId: string, containers?: string[]) {
    const pod = this.latest(sessionId);
    const list = pod.status.containers.map((c) =>
      !containers || containers.includes(c.name) ? { ...c, ready: true } : c,
    );
    this.change(pod, { phase: list.every((c) => c.ready) ? 'running' : 'pending', containers: list });
  }

  failPod(sessionId: string, message: string) {
    const pod = this.latest(sessionId);
    this.change(pod, { ...pod.status, phase: 'failed', message });
  }

  private latest(sessionId: string): Pod {
    const pods = [...this.pods.values()].filter((p) => p.spec.session.id === sessionId);
    const pod = pods.at(-1);
    if (!pod) throw new Error(`no pod for session ${sessionId}`);
    return pod;
  }

  private change(pod: Pod, status: PodStatus) {
    pod.status = status;
    for (const w of this.watchers)
      if (w.ids.has(pod.handle.attemptId)) w.onChange(structuredClone(pod.handle), structuredClone(status));
  }
}
