/**
 * Reports a session's broker (Skuld) sends to the API: token usage, activity state, timeline
 * events and the final report. They travel in batches through
 * `POST /api/v1/sessions/<sessionId>/reports` (docs/skuld.md). Every report carries a `key`
 * unique within its session: the broker retries until the API has accepted a key, so the API
 * must store each (session, key) once and answer a repeated key as accepted again.
 */
import { z } from 'zod';

/** Unique within the session; the broker derives it from what the report is about. */
export const ZReportKey = z.string().min(1).max(200);

const base = {
  key: ZReportKey,
  /** When the reported thing happened (ISO time), not when it was delivered. */
  occurredAt: z.iso.datetime({ offset: true }),
};

const tokens = z.number().int().nonnegative();

export const ZUsageReport = z.object({
  kind: z.literal('usage'),
  ...base,
  turnId: z.string().min(1).max(200),
  model: z.string().min(1).max(200),
  inputTokens: tokens,
  outputTokens: tokens,
  cacheReadTokens: tokens,
  cacheWriteTokens: tokens,
  costUsd: z.number().nonnegative().optional(),
  /** How long the turn took (the CLI's own figure), for `gen_ai.client.operation.duration`. */
  durationMs: z.number().nonnegative().optional(),
});
export type UsageReport = z.infer<typeof ZUsageReport>;

export const ZActivityState = z.enum(['active', 'idle', 'tool_executing']);
export type ActivityState = z.infer<typeof ZActivityState>;

/** The control plane's idle auto-stop counts these. */
export const ZActivityReport = z.object({
  kind: z.literal('activity'),
  ...base,
  state: ZActivityState,
  metadata: z.record(z.string(), z.unknown()),
});
export type ActivityReport = z.infer<typeof ZActivityReport>;

export const ZTimelineEventType = z.enum(['session', 'message', 'file', 'git', 'terminal', 'tool_use', 'error']);
export type TimelineEventType = z.infer<typeof ZTimelineEventType>;

export const ZTimelineReport = z.object({
  kind: z.literal('timeline'),
  ...base,
  type: ZTimelineEventType,
  /** Seconds since the session started. */
  t: z.number().nonnegative(),
  label: z.string().max(500),
  /** `file` events. */
  action: z.enum(['created', 'modified', 'deleted']).optional(),
  insertions: tokens.optional(),
  deletions: tokens.optional(),
  /** `git` events: the full commit hash. */
  hash: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/)
    .optional(),
  /** `terminal` events. */
  exitCode: z.number().int().optional(),
  /** `message` events: input + output tokens of the turn. */
  tokens: tokens.optional(),
  model: z.string().max(200).optional(),
});
export type TimelineReport = z.infer<typeof ZTimelineReport>;

/** Sent once when the session's broker is stopped; it creates or enriches the chronicle. */
export const ZFinalReport = z.object({
  kind: z.literal('final'),
  ...base,
  summary: z.string().max(20_000),
  keyChanges: z.array(z.string().max(1_000)).max(200),
  unfinishedWork: z.string().max(20_000),
  durationSeconds: z.number().nonnegative(),
  /** True when the CLI gave no summary and this one was assembled from changed files and git log. */
  partial: z.boolean().optional(),
});
export type FinalReport = z.infer<typeof ZFinalReport>;

export const ZReport = z.discriminatedUnion('kind', [ZUsageReport, ZActivityReport, ZTimelineReport, ZFinalReport]);
export type Report = z.infer<typeof ZReport>;
export type ReportKind = Report['kind'];

export const MAX_REPORTS_PER_BATCH = 100;

/** Body of `POST /api/v1/sessions/<sessionId>/reports`. */
export const ZReportBatch = z.object({
  reports: z.array(ZReport).min(1).max(MAX_REPORTS_PER_BATCH),
});
export type ReportBatch = z.infer<typeof ZReportBatch>;

/**
 * 200 answer: the keys the API has stored (now or before). Keys it leaves out are retried by the
 * broker later.
 */
export const ZReportBatchResult = z.object({
  accepted: z.array(ZReportKey),
});
export type ReportBatchResult = z.infer<typeof ZReportBatchResult>;
