/**
 * Session events: every lifecycle transition and provisioning step, in order, with ids.
 * `sessions.onState` streams these and resumes after `lastEventId`. Types may be added,
 * never renamed.
 */
import { z } from 'zod';
import { ZActivityState, ZSessionId, ZSessionState } from './sessions';

const text = z.string().max(4000);

export const ZSessionEventBody = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('session_created'),
    data: z.strictObject({ name: z.string(), state: ZSessionState }),
  }),
  z.object({
    type: z.literal('state_changed'),
    data: z.strictObject({ from: ZSessionState, to: ZSessionState, reason: text.nullable() }),
  }),
  z.object({
    type: z.literal('session_updated'),
    data: z.strictObject({ fields: z.array(z.string()) }),
  }),
  z.object({ type: z.literal('session_deleted'), data: z.strictObject({}) }),
  /** One contributor of the pipeline produced its part of the spec. */
  z.object({
    type: z.literal('contributor_applied'),
    data: z.strictObject({ contributor: z.string(), index: z.int(), total: z.int() }),
  }),
  z.object({
    type: z.literal('contributor_failed'),
    data: z.strictObject({ contributor: z.string(), message: text }),
  }),
  z.object({
    type: z.literal('pod_submitted'),
    data: z.strictObject({ attemptId: z.string(), backend: z.string(), adopted: z.boolean() }),
  }),
  /** Progress reported by the runtime while provisioning (clone, setup script output...). */
  z.object({
    type: z.literal('pod_progress'),
    data: z.strictObject({ step: z.string().max(200), message: text }),
  }),
  z.object({
    type: z.literal('container_ready'),
    data: z.strictObject({ container: z.string(), ready: z.int(), total: z.int() }),
  }),
  z.object({
    type: z.literal('cleanup_failed'),
    data: z.strictObject({ contributor: z.string(), message: text }),
  }),
  z.object({
    type: z.literal('activity_changed'),
    data: z.strictObject({ state: ZActivityState, metadata: z.record(z.string(), z.unknown()) }),
  }),
  /** A chat turn's token usage reported by the broker (once per report key). */
  z.object({
    type: z.literal('usage_recorded'),
    data: z.strictObject({
      turnId: z.string(),
      model: z.string(),
      inputTokens: z.int().nonnegative(),
      outputTokens: z.int().nonnegative(),
      cacheReadTokens: z.int().nonnegative(),
      cacheWriteTokens: z.int().nonnegative(),
      costUsd: z.number().nonnegative().nullable(),
      /** How long the turn took, when the broker says. */
      durationMs: z.number().nonnegative().nullable(),
      occurredAt: z.iso.datetime({ offset: true }),
    }),
  }),
  /** New timeline events of one report batch (file edits, commands, commits...). */
  z.object({
    type: z.literal('timeline_recorded'),
    data: z.strictObject({
      chronicleId: z.string(),
      items: z.array(
        z.strictObject({
          type: z.string(),
          label: z.string().max(500),
          action: z.string().nullable(),
          t: z.number().nonnegative(),
        }),
      ),
    }),
  }),
  /** The session's chronicle was created, received the final report, or reopened. */
  z.object({
    type: z.literal('chronicle_updated'),
    data: z.strictObject({
      chronicleId: z.string(),
      status: z.enum(['draft', 'complete']),
      change: z.enum(['created', 'final_report', 'reopened']),
    }),
  }),
]);
export type SessionEventBody = z.infer<typeof ZSessionEventBody>;
export type SessionEventType = SessionEventBody['type'];

/** Event ids are decimal strings (a bigserial): compare them as numbers, not as text. */
export const ZSessionEventId = z.string().regex(/^\d{1,19}$/, 'a decimal event id');

// Plain (not strict) objects on both sides so the intersection accepts the union of keys.
const ZEventEnvelope = z.object({
  id: ZSessionEventId,
  sessionId: ZSessionId,
  tenantId: z.string(),
  ownerId: z.string(),
  createdAt: z.iso.datetime(),
});

export const ZSessionEvent = z.intersection(ZEventEnvelope, ZSessionEventBody);
export type SessionEvent = z.infer<typeof ZSessionEvent>;

/** The subscription input of `sessions.onState`. */
export const ZWatchSessionEventsInput = z.strictObject({
  /** Only this session's events (otherwise every session the principal may list). */
  sessionId: ZSessionId.optional(),
  /** Resume after this event (tRPC's `lastEventId`). */
  lastEventId: ZSessionEventId.optional(),
});
export type WatchSessionEventsInput = z.infer<typeof ZWatchSessionEventsInput>;
