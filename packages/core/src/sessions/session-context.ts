import type { SessionSpecInput } from '@volundr/contracts/session-spec';
import type { LaunchContext } from '@volundr/contracts/sessions';
import type { IntegrationConnection } from './ports/integrations';
import type { SessionRecord } from './session-record';

export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** The spec sections outside the pod, as a contributor may set part of them. */
export type SpecValues = DeepPartial<Omit<SessionSpecInput, 'pod'>>;
/** Additions to the pod: containers, volumes, mounts, env, labels, annotations, scheduling. */
export type PodSpecAdditions = DeepPartial<SessionSpecInput['pod']>;

/** One contributor's part of the SessionSpec (deep-merged with the others'). */
export interface SessionContribution {
  values: SpecValues;
  podSpec: PodSpecAdditions;
}

export const emptyContribution = (): SessionContribution => ({ values: {}, podSpec: {} });

/** What every contributor sees while a session starts. */
export interface SessionContext {
  session: SessionRecord;
  /** The stored launch context (the same on every restart). */
  launch: LaunchContext;
  /** The attempt being prepared (runtime.attempt). */
  attempt: number;
  /** The owner's enabled integration connections named by the launch. */
  integrations: IntegrationConnection[];
}

/** What a cleanup sees on stop or delete (rebuilt from the stored session, never from memory). */
export interface CleanupContext {
  session: SessionRecord;
  launch: LaunchContext;
  reason: 'stop' | 'delete';
  /** Delete asked to remove the workspace storage too. */
  removeWorkspace: boolean;
}

/**
 * One step of the pipeline, wrapping (at most) one port. `contribute` must be idempotent: a
 * resumed reconciler may run it again for the same attempt. `cleanup` runs in reverse
 * pipeline order on stop and delete, and must tolerate having nothing to clean.
 */
export interface Contributor {
  readonly name: string;
  contribute(context: SessionContext): Promise<SessionContribution>;
  cleanup?(context: CleanupContext): Promise<void>;
}
