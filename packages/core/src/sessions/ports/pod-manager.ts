import type { SessionEndpoints, SessionSpec } from '@volundr/contracts/session-spec';
import type { PodHandle } from '@volundr/contracts/sessions';

export type { PodHandle };

/** One start of a session. `id` is recorded in the session before `start` is called. */
export interface StartAttempt {
  id: string;
  sessionId: string;
  number: number;
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  /** Why not ready (CrashLoopBackOff, "cloning", exit code...), for the failure reason. */
  message?: string;
}

export interface PodStatus {
  /** `missing`: nothing exists for the handle (deleted, or never created). */
  phase: 'pending' | 'running' | 'failed' | 'stopped' | 'missing';
  containers: ContainerStatus[];
  message?: string;
  /** Endpoints known only once running (overrides the gateway's when present). */
  endpoints?: SessionEndpoints;
}

export type Unsubscribe = () => void;

/**
 * Runs a SessionSpec somewhere (local processes, a Kubernetes pod, a Flux HelmRelease).
 * Every method is idempotent: a reconciler may repeat any call after a crash.
 */
export interface PodManager {
  /** Submits the spec for this attempt and returns at once (readiness comes later). */
  start(spec: SessionSpec, attempt: StartAttempt): Promise<PodHandle>;
  /** What was started for this attempt, if anything (used to resume after a crash). */
  find(attempt: StartAttempt): Promise<PodHandle | null>;
  /** Stops the pod; a pod that no longer exists is not an error. Keeps the workspace. */
  stop(handle: PodHandle): Promise<void>;
  status(handle: PodHandle): Promise<PodStatus>;
  /** Pushes status changes of these handles until unsubscribed. */
  watch(handles: readonly PodHandle[], onChange: (handle: PodHandle, status: PodStatus) => void): Unsubscribe;
  /** Removes everything the handle refers to; the workspace too when asked. */
  delete(handle: PodHandle, options: { removeWorkspace: boolean }): Promise<void>;
}

/** Ready means running with every container ready. */
export const isPodReady = (status: PodStatus) =>
  status.phase === 'running' && status.containers.length > 0 && status.containers.every((c) => c.ready);
