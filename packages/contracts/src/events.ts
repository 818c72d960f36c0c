/**
 * The event pipeline and the audit log as the API shows them: each sink's health and lag
 * (`events.health`), audit entries (`audit.list`), and the message a bus sink publishes.
 * Timestamps are ISO 8601 strings in UTC.
 */
import { z } from 'zod';
import { ZSessionEventId } from './session-events';

const ZTimestamp = z.iso.datetime();

/**
 * A sink as this replica sees it:
 * - `delivering`: this replica holds the sink's lease and its last delivery succeeded (or none was due);
 * - `failing`: this replica holds the lease and deliveries fail (retried with backoff, nothing is lost);
 * - `standby`: another replica holds the lease (see `leaseOwner`);
 * - `unowned`: no replica holds a live lease (no dispatcher runs for it);
 * - `stopped`: the dispatcher of this replica is stopped or disabled.
 */
export const ZSinkState = z.enum(['delivering', 'failing', 'standby', 'unowned', 'stopped']);
export type SinkState = z.infer<typeof ZSinkState>;

export const ZSinkHealth = z.strictObject({
  /** The sink's name (its cursor key): the config block's `name`, else its export name. */
  name: z.string(),
  state: ZSinkState,
  /** The replica dispatching it now (null: none). */
  leaseOwner: z.string().nullable(),
  /** The last event the sink has confirmed (null: nothing yet). */
  deliveredEventId: ZSessionEventId.nullable(),
  deliveredAt: ZTimestamp.nullable(),
  lag: z.strictObject({
    /** Events appended after the cursor (counted up to `capped`). */
    events: z.int().nonnegative(),
    /** True when there are at least `events` (the count stopped there). */
    capped: z.boolean(),
    /** Age of the oldest event not delivered yet (0 when none waits). */
    seconds: z.number().nonnegative(),
  }),
  /** Consecutive failed deliveries, and the last error (cleared by a delivery). */
  failures: z.int().nonnegative(),
  lastError: z.string().nullable(),
  lastErrorAt: ZTimestamp.nullable(),
});
export type SinkHealth = z.infer<typeof ZSinkHealth>;

export const ZEventsHealth = z.strictObject({
  /** This replica's dispatcher id (lease owner name). */
  replica: z.string(),
  sinks: z.array(ZSinkHealth),
});
export type EventsHealth = z.infer<typeof ZEventsHealth>;

// ── audit ────────────────────────────────────────────────────────────────────────────────────

/**
 * What an audit entry records. Types may be added, never renamed:
 * - `user.provisioned`: a user's first sign-in set up their account (JIT provisioning);
 * - `user.suspended` / `user.reinstated`;
 * - `membership.created` / `membership.role_set` / `membership.removed`;
 * - `token.created` / `token.revoked`: personal access tokens (never the token itself);
 * - `tenant.created` / `tenant.updated` / `tenant.deleted`: an administrator's changes to the
 *   tenant tree, in the acting administrator's tenant's log;
 * - `authz.acted_on_other`: someone acted on a resource another user owns (an admin, normally),
 *   with the authorization decision's reason;
 * - `authz.denied`: an action other than read/list was refused, with the reason.
 */
export const ZAuditAction = z.enum([
  'user.provisioned',
  'user.suspended',
  'user.reinstated',
  'membership.created',
  'membership.role_set',
  'membership.removed',
  'token.created',
  'token.revoked',
  'tenant.created',
  'tenant.updated',
  'tenant.deleted',
  'authz.acted_on_other',
  'authz.denied',
]);
export type AuditAction = z.infer<typeof ZAuditAction>;

export const ZAuditEntry = z.strictObject({
  id: z.string().regex(/^\d{1,19}$/),
  at: ZTimestamp,
  tenantId: z.string(),
  /** The user who acted, or `system`. */
  actorId: z.string(),
  action: ZAuditAction,
  resource: z.strictObject({
    kind: z.string(),
    id: z.string().nullable(),
    ownerId: z.string().nullable(),
  }),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof ZAuditEntry>;

export const ZListAuditInput = z.strictObject({
  action: ZAuditAction.optional(),
  actorId: z.string().min(1).max(255).optional(),
  /** Entries about resources this user owns (e.g. everything done to Alice's sessions). */
  resourceOwnerId: z.string().min(1).max(255).optional(),
  resourceId: z.string().min(1).max(255).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  /** `nextCursor` of the previous page (entries are newest first). */
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, 'a cursor returned by a previous page')
    .optional(),
  limit: z.int().min(1).max(200).default(50),
});
export type ListAuditInput = z.infer<typeof ZListAuditInput>;

export const ZAuditPage = z.strictObject({
  items: z.array(ZAuditEntry),
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof ZAuditPage>;
