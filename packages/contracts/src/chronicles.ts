/**
 * Chronicles as the API shows them: what a session did (timeline, file changes, commits, token
 * burn, the broker's final report), so the next session can pick up where it stopped. The
 * inputs of every chronicle operation and of the session usage/timeline queries are here too.
 * Timestamps are ISO 8601 strings in UTC.
 */
import { z } from 'zod';
import { ZReportBatch, ZTimelineEventType } from './reports';
import { ZSessionId, ZSessionName } from './sessions';

const ZTimestamp = z.iso.datetime();
const count = z.int().nonnegative();

export const ZChronicleId = z.string().min(1).max(255);

export const ZChronicleStatus = z.enum(['draft', 'complete']);
export type ChronicleStatus = z.infer<typeof ZChronicleStatus>;

export const ZChronicleTag = z
  .string()
  .min(1, 'a tag is not empty')
  .max(50, 'a tag has at most 50 characters')
  .regex(/^[^\s,]+$/, 'a tag has no spaces or commas');

export const ZChronicleTags = z
  .array(ZChronicleTag)
  .max(20, 'at most 20 tags')
  .refine((tags) => new Set(tags).size === tags.length, 'tags are unique');

/** A chronicle without its aggregates: what lists show. */
export const ZChronicle = z.strictObject({
  id: ZChronicleId,
  /** Null once the session is gone (the chronicle outlives it until deleted or expired). */
  sessionId: z.string().nullable(),
  ownerId: z.string(),
  tenantId: z.string(),
  status: ZChronicleStatus,
  /** Completed without the broker's final report: built from the timeline alone. */
  partial: z.boolean(),
  /** Last segment of the repository without `.git`. */
  project: z.string().nullable(),
  repo: z.string().nullable(),
  branch: z.string().nullable(),
  model: z.string().nullable(),
  templateName: z.string().nullable(),
  /** The session's name when the chronicle was started. */
  sessionName: z.string().nullable(),
  summary: z.string().nullable(),
  keyChanges: z.array(z.string()),
  unfinishedWork: z.string().nullable(),
  tokensUsed: count,
  costUsd: z.number().nonnegative(),
  durationSeconds: count.nullable(),
  tags: z.array(z.string()),
  parentChronicleId: z.string().nullable(),
  /** When the session's first reported event happened (t = 0 of its timeline). */
  startedAt: ZTimestamp.nullable(),
  reportReceivedAt: ZTimestamp.nullable(),
  completedAt: ZTimestamp.nullable(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Chronicle = z.infer<typeof ZChronicle>;

export const ZFileChangeStatus = z.enum(['new', 'modified', 'deleted']);
export type FileChangeStatus = z.infer<typeof ZFileChangeStatus>;

/** One path of the file summary: every `file` event of the path, +/− summed. */
export const ZChronicleFile = z.strictObject({
  path: z.string(),
  insertions: count,
  deletions: count,
  /** A delete anywhere wins; otherwise a create makes it `new`; otherwise `modified`. */
  status: ZFileChangeStatus,
  /** How many `file` events the path had. */
  changes: count,
  lastChangedAt: ZTimestamp,
});
export type ChronicleFile = z.infer<typeof ZChronicleFile>;

export const ZChronicleCommit = z.strictObject({
  hash: z.string(),
  shortHash: z.string(),
  message: z.string(),
  at: ZTimestamp,
  insertions: count.nullable(),
  deletions: count.nullable(),
});
export type ChronicleCommit = z.infer<typeof ZChronicleCommit>;

export const ZTokenCounts = z.strictObject({
  inputTokens: count,
  outputTokens: count,
  cacheReadTokens: count,
  cacheWriteTokens: count,
  /** input + output + cache read + cache write: what `tokensUsed` counts. */
  tokens: count,
  costUsd: z.number().nonnegative(),
});
export type TokenCounts = z.infer<typeof ZTokenCounts>;

export const ZModelTokenCounts = ZTokenCounts.extend({ model: z.string() });
export type ModelTokenCounts = z.infer<typeof ZModelTokenCounts>;

/** Token usage of a session: totals, per model, and how many turns reported usage. */
export const ZSessionUsage = z.strictObject({
  sessionId: z.string(),
  turns: count,
  total: ZTokenCounts,
  byModel: z.array(ZModelTokenCounts),
});
export type SessionUsage = z.infer<typeof ZSessionUsage>;

export const MIN_BUCKET_SECONDS = 60;
export const MAX_BUCKET_SECONDS = 3600;
export const DEFAULT_BUCKET_SECONDS = 300;

export const ZBucketSeconds = z
  .int()
  .min(MIN_BUCKET_SECONDS, `bucketSeconds is at least ${MIN_BUCKET_SECONDS}`)
  .max(MAX_BUCKET_SECONDS, `bucketSeconds is at most ${MAX_BUCKET_SECONDS}`);

/** Usage that happened in `[t, t + bucketSeconds)` seconds after the start. */
export const ZTokenBurnBucket = z.strictObject({
  t: count,
  at: ZTimestamp,
  total: ZTokenCounts,
  byModel: z.array(ZModelTokenCounts),
});
export type TokenBurnBucket = z.infer<typeof ZTokenBurnBucket>;

/** Buckets without usage are left out; their sum is the session's usage. */
export const ZTokenBurn = z.strictObject({
  bucketSeconds: ZBucketSeconds,
  /** t = 0: the minute the chronicle started (else of the first usage). Null when nothing was used. */
  startedAt: ZTimestamp.nullable(),
  buckets: z.array(ZTokenBurnBucket),
});
export type TokenBurn = z.infer<typeof ZTokenBurn>;

export const MAX_DETAIL_FILES = 5_000;
export const MAX_DETAIL_COMMITS = 200;

/** A chronicle with its aggregates (`chronicles.byId`). */
export const ZChronicleDetail = z.strictObject({
  chronicle: ZChronicle,
  files: z.array(ZChronicleFile),
  /** More paths changed than `files` lists (MAX_DETAIL_FILES, most recently changed first kept). */
  filesTruncated: z.boolean(),
  fileTotals: z.strictObject({ files: count, insertions: count, deletions: count }),
  /** Newest first. */
  commits: z.array(ZChronicleCommit),
  commitsTruncated: z.boolean(),
  usage: ZSessionUsage.omit({ sessionId: true }),
  tokenBurn: ZTokenBurn,
  /** The final report's duration when there is one, else from the timeline. */
  durationSeconds: count.nullable(),
});
export type ChronicleDetail = z.infer<typeof ZChronicleDetail>;

export const ZTimelineEvent = z.strictObject({
  id: z.string(),
  type: ZTimelineEventType,
  /** Seconds since the session started. */
  t: count,
  at: ZTimestamp,
  label: z.string(),
  action: z.enum(['created', 'modified', 'deleted']).nullable(),
  insertions: count.nullable(),
  deletions: count.nullable(),
  hash: z.string().nullable(),
  exitCode: z.int().nullable(),
  tokens: count.nullable(),
  model: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof ZTimelineEvent>;

export const MAX_TIMELINE_PAGE = 1_000;

const timelineFilters = {
  /** Only these event types. */
  types: z.array(ZTimelineEventType).min(1).max(7).optional(),
  /** Events that happened at or after this time. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Events that happened before this time. */
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().min(1).max(500).optional(),
  limit: z.int().min(1).max(MAX_TIMELINE_PAGE).default(200),
};

/** Oldest first. */
export const ZChronicleTimelineInput = z.strictObject({ id: ZChronicleId, ...timelineFilters });
export type ChronicleTimelineInput = z.infer<typeof ZChronicleTimelineInput>;

export const ZSessionTimelineInput = z.strictObject({ sessionId: ZSessionId, ...timelineFilters });
export type SessionTimelineInput = z.infer<typeof ZSessionTimelineInput>;

export const ZTimelinePage = z.strictObject({
  items: z.array(ZTimelineEvent),
  nextCursor: z.string().nullable(),
});
export type TimelinePage = z.infer<typeof ZTimelinePage>;

export const MAX_CHRONICLE_PAGE = 100;

export const ZListChroniclesInput = z.strictObject({
  /** Repository as given at session create (or its project name, the last path segment). */
  repo: z.string().min(1).max(500).optional(),
  model: z.string().min(1).max(200).optional(),
  /** Chronicles carrying every one of these tags. */
  tags: z.array(ZChronicleTag).min(1).max(20).optional(),
  status: ZChronicleStatus.optional(),
  /** Only this owner's chronicles (a principal who may see only its own gets only its own). */
  ownerId: z.string().min(1).max(255).optional(),
  cursor: z.string().min(1).max(500).optional(),
  limit: z.int().min(1).max(MAX_CHRONICLE_PAGE).default(50),
});
export type ListChroniclesInput = z.infer<typeof ZListChroniclesInput>;

export const ZChroniclePage = z.strictObject({
  items: z.array(ZChronicle),
  nextCursor: z.string().nullable(),
});
export type ChroniclePage = z.infer<typeof ZChroniclePage>;

export const ZChronicleIdInput = z.strictObject({ id: ZChronicleId });
export type ChronicleIdInput = z.infer<typeof ZChronicleIdInput>;

export const ZChronicleByIdInput = z.strictObject({
  id: ZChronicleId,
  bucketSeconds: ZBucketSeconds.default(DEFAULT_BUCKET_SECONDS),
});
export type ChronicleByIdInput = z.infer<typeof ZChronicleByIdInput>;

export const ZUpdateChronicleInput = z
  .strictObject({
    id: ZChronicleId,
    summary: z.string().max(20_000).nullable().optional(),
    unfinishedWork: z.string().max(20_000).nullable().optional(),
    tags: ZChronicleTags.optional(),
  })
  .refine(
    (input) => input.summary !== undefined || input.unfinishedWork !== undefined || input.tags !== undefined,
    'name at least one of summary, unfinishedWork, tags',
  );
export type UpdateChronicleInput = z.infer<typeof ZUpdateChronicleInput>;

export const ZDeleteChronicleOutput = z.strictObject({ id: ZChronicleId, deleted: z.literal(true) });
export type DeleteChronicleOutput = z.infer<typeof ZDeleteChronicleOutput>;

export const ZReforgeChronicleInput = z.strictObject({
  id: ZChronicleId,
  /** Name of the new session (default: the previous session's name with `-reforged`, numbered if taken). */
  name: ZSessionName.optional(),
});
export type ReforgeChronicleInput = z.infer<typeof ZReforgeChronicleInput>;

/** Oldest ancestor first, then down through the requested chronicle to its newest descendant. */
export const ZChronicleChain = z.strictObject({
  items: z.array(ZChronicle),
});
export type ChronicleChain = z.infer<typeof ZChronicleChain>;

export const ZSessionUsageInput = z.strictObject({ sessionId: ZSessionId });
export type SessionUsageInput = z.infer<typeof ZSessionUsageInput>;

export const ZSessionTokensInput = z.strictObject({
  sessionId: ZSessionId,
  bucketSeconds: ZBucketSeconds.default(DEFAULT_BUCKET_SECONDS),
});
export type SessionTokensInput = z.infer<typeof ZSessionTokensInput>;

/** `reports.submit`: a batch from the session's broker (`POST /api/v1/sessions/{id}/reports`). */
export const ZSubmitReportsInput = z.strictObject({
  sessionId: ZSessionId,
  batch: ZReportBatch,
});
export type SubmitReportsInput = z.infer<typeof ZSubmitReportsInput>;
