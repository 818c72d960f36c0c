import type { User, UserStatus } from '@volundr/contracts/identity';

export interface ClaimProvisioning {
  id: string;
  email: string | null;
  displayName: string | null;
  at: Date;
  /** A `provisioning` claim last touched before this is taken over (its process died). */
  staleBefore: Date;
}

/** The users repository (the `users` table). */
export interface Users {
  byId(id: string): Promise<User | null>;
  /**
   * Claims the right to provision the user, atomically: inserts the user as `provisioning`, or
   * moves a `failed` user (or a stale `provisioning` claim) back to `provisioning`. True for
   * exactly one of any number of concurrent callers; false when the user is active, suspended,
   * or being provisioned by someone else.
   */
  upsertProvisioning(claim: ClaimProvisioning): Promise<boolean>;
  /**
   * Provisioning finished: status `active`, home volume recorded, error cleared. `actorId` is who
   * had it done, for the audit log (default: the user themself, on their first request).
   */
  markActive(id: string, done: { homeVolume: string; at: Date; actorId?: string }): Promise<User>;
  /** Provisioning failed: status `failed` with the reason (a person reads it). */
  markFailed(id: string, failure: { reason: string; at: Date }): Promise<void>;
  /**
   * Suspends an account, or lifts a suspension (back to `active`). Null when there is no such
   * user. `actorId` is the administrator who did it, for the audit log (default `system`).
   */
  setSuspended(id: string, suspended: boolean, at: Date, actorId?: string): Promise<User | null>;
  /** Users ordered by id, `limit` at most, after `afterId` (keyset pagination). */
  list(query: { limit: number; afterId?: string }): Promise<User[]>;
  /** Users with a membership in `tenantId`, ordered by id, keyset-paginated like `list`. */
  listInTenant(query: { tenantId: string; status?: UserStatus; limit: number; afterId?: string }): Promise<User[]>;
}
