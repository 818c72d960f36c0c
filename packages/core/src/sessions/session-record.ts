import type { SessionEndpoints, SessionSpec } from '@volundr/contracts/session-spec';
import type {
  ActivityState,
  LaunchContext,
  SessionRuntime,
  SessionSource,
  SessionState,
} from '@volundr/contracts/sessions';

/**
 * A session as the domain holds it: one row of the `sessions` table, field for column
 * (camelCase of the snake_case column names). `version` guards every write of the lifecycle
 * fields; lease and activity columns have their own repository methods and do not bump it.
 */
export interface SessionRecord {
  id: string;
  name: string;
  ownerId: string;
  tenantId: string;
  model: string;
  source: SessionSource;
  state: SessionState;
  stateReason: string | null;
  version: number;
  launch: LaunchContext;
  spec: SessionSpec | null;
  endpoints: SessionEndpoints | null;
  runtime: SessionRuntime;
  templateName: string | null;
  profileName: string | null;
  presetId: string | null;
  parentChronicleId: string | null;
  idleTimeoutMinutes: number | null;
  activityState: ActivityState;
  activityMetadata: Record<string, unknown>;
  lastActivityAt: Date | null;
  tokensUsed: number;
  costUsd: number;
  messageCount: number;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  provisioningStartedAt: Date | null;
  runningSince: Date | null;
  stoppedAt: Date | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields `Sessions.update` writes (only those present). Always includes `updatedAt`. */
export type SessionPatch = Partial<
  Pick<
    SessionRecord,
    | 'name'
    | 'model'
    | 'source'
    | 'state'
    | 'stateReason'
    | 'launch'
    | 'spec'
    | 'endpoints'
    | 'runtime'
    | 'idleTimeoutMinutes'
    | 'provisioningStartedAt'
    | 'runningSince'
    | 'stoppedAt'
    | 'archivedAt'
  >
> & { updatedAt: Date };

/** The activity columns, written by `Sessions.recordActivity` only. */
export interface SessionActivity {
  state: ActivityState;
  metadata: Record<string, unknown>;
  at: Date;
}

/** States in which a session holds (or is acquiring) runtime resources. */
export const ACTIVE_STATES: readonly SessionState[] = ['starting', 'provisioning', 'running', 'stopping'];
/** States the reconciler drives forward. */
export const WORK_STATES: readonly SessionState[] = ['starting', 'provisioning', 'stopping'];
/** States counted against a tenant's `maxRunningSessions`. */
export const QUOTA_STATES: readonly SessionState[] = ['starting', 'provisioning', 'running'];

export const isActive = (state: SessionState) => ACTIVE_STATES.includes(state);
