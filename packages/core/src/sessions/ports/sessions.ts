import type { SessionEventBody } from '@volundr/contracts/session-events';
import type { SessionState } from '@volundr/contracts/sessions';
import type { SessionActivity, SessionPatch, SessionRecord } from '../session-record';

export interface SessionListQuery {
  tenantId: string;
  /** Only this owner's sessions (set from the principal when its list scope is `own`). */
  ownerId?: string;
  /** Only these states; when it names `archived`, archived sessions are included. */
  states?: readonly SessionState[];
  /** Include archived sessions when no state filter is given. */
  includeArchived: boolean;
  /** Opaque cursor returned by a previous page (see session-cursor.ts). */
  cursor?: string;
  limit: number;
}

export interface SessionListPage {
  items: SessionRecord[];
  nextCursor: string | null;
}

export interface ExpiryQuery {
  now: Date;
  /** Running sessions that started before `now - maxLifetimeMs` are expired too (null: no cap). */
  maxLifetimeMs: number | null;
  limit: number;
}

/**
 * Events that describe a change, given to the write that makes it. The repository appends them
 * to the session event log in the same transaction as the row change, in order, with a durable
 * commit: both land or neither does. Session, tenant and owner of each event are the row's.
 */
export type ChangeEvents = readonly SessionEventBody[];

/**
 * The sessions repository (the `sessions` table). Lease and activity columns change only
 * through their own methods and never bump `version`; `update` never writes them — except that
 * an update moving a session out of the work states (`WORK_STATES`) frees its lease, which only
 * work needs (the reconciler then has nothing to release).
 *
 * Every write that changes what a session is takes the events describing the change
 * (`ChangeEvents`); `SessionEvents.append` is only for events that describe no row change.
 */
export interface Sessions {
  byId(id: string): Promise<SessionRecord | null>;
  /**
   * Inserts a new row (version as given, normally 1) with its events, dated `createdAt`. A name
   * already used by another of the owner's sessions that is not archived →
   * `DomainError('SESSION_NAME_TAKEN')` (here and in `update`, which can rename or restore a
   * session).
   */
  insert(session: SessionRecord, events?: ChangeEvents): Promise<void>;
  /**
   * Writes the patch if the row is still at `expectedVersion`, bumping the version by one, with
   * its events (dated `patch.updatedAt`), and returns the row as written. A version mismatch →
   * `DomainError('CONCURRENT_MODIFICATION')`; no such row → `DomainError('SESSION_NOT_FOUND')`;
   * in both cases no event is written.
   */
  update(id: string, expectedVersion: number, patch: SessionPatch, events?: ChangeEvents): Promise<SessionRecord>;
  /** Deletes the row if still at `expectedVersion`, with its events dated `at` (same errors as `update`). */
  delete(id: string, expectedVersion: number, events?: { at: Date; events: ChangeEvents }): Promise<void>;
  /** Newest first (created_at desc, id desc), filtered in the query. */
  list(query: SessionListQuery): Promise<SessionListPage>;
  /** Sessions of the tenant in starting, provisioning or running (QUOTA_STATES). */
  countRunningForTenant(tenantId: string): Promise<number>;
  /**
   * Leases up to `limit` sessions in starting/provisioning/stopping whose lease is free,
   * expired, or already held by `owner` (so a replica keeps polling what it watches), for
   * `leaseMs`, oldest `updated_at` first. Safe with several replicas (SKIP LOCKED or a
   * conditional UPDATE ... RETURNING).
   */
  claimWork(owner: string, leaseMs: number, limit: number): Promise<SessionRecord[]>;
  /** Extends the lease if `owner` still holds it; false when it was lost. */
  renewLease(id: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Frees the lease if `owner` holds it (no-op otherwise). */
  releaseLease(id: string, owner: string): Promise<void>;
  /**
   * Running sessions past their idle timeout (activity_state = 'idle' and
   * coalesce(last_activity_at, running_since) + idle_timeout_minutes < now) or past the maximum
   * lifetime (running_since + maxLifetimeMs < now). The caller re-checks with `expiryReason`.
   */
  findExpired(query: ExpiryQuery): Promise<SessionRecord[]>;
  /**
   * Writes activity_state, activity_metadata, last_activity_at (no version check or bump), with
   * its events dated `activity.at`.
   */
  recordActivity(id: string, activity: SessionActivity, events?: ChangeEvents): Promise<void>;
}
