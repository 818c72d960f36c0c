/**
 * Sessions as the API shows them, the inputs of every session operation, and the persisted
 * shapes a session carries (launch context, runtime), which repositories validate on read.
 */
import { z } from 'zod';
import { ZCliTool, ZModelId } from './models';
import {
  MAX_PROMPT_CHARS,
  ZCatalogName,
  ZCredentialName,
  ZEnvMap,
  ZEnvSecretRef,
  ZIdleTimeoutMinutes,
  ZIntegrationId,
  ZMcpServer,
  ZResourceRequest,
  ZSetupScript,
} from './profiles';
import { ZSessionEndpoints } from './session-spec';
import { ZBranchName, ZRepoRef, ZTemplateRepo } from './templates';

export const SESSION_STATES = [
  'created',
  'starting',
  'provisioning',
  'running',
  'stopping',
  'stopped',
  'failed',
  'archived',
] as const;
export const ZSessionState = z.enum(SESSION_STATES);
export type SessionState = z.infer<typeof ZSessionState>;

/** What the broker reports the agent is doing (independent of the lifecycle state). */
export const ZActivityState = z.enum(['active', 'idle', 'tool_executing']);
export type ActivityState = z.infer<typeof ZActivityState>;

/** An RFC 1123 label: lower-case letters, digits and "-", starting and ending alphanumeric, ≤ 63. */
export const ZSessionName = z
  .string()
  .min(1, 'a session name is required')
  .max(63, 'at most 63 characters')
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    'lower-case letters, digits and "-", starting and ending with a letter or digit',
  );

export const ZSessionId = z.string().min(1).max(255);

export const ZGitSource = z.strictObject({
  type: z.literal('git'),
  repo: ZRepoRef,
  branch: ZBranchName,
  baseBranch: ZBranchName.optional(),
});
export const ZBlankSource = z.strictObject({ type: z.literal('blank') });
export const ZSessionSource = z.discriminatedUnion('type', [ZGitSource, ZBlankSource]);
export type SessionSource = z.infer<typeof ZSessionSource>;
export type GitSource = z.infer<typeof ZGitSource>;

export const ZCreateSessionInput = z.strictObject({
  name: ZSessionName,
  model: ZModelId,
  source: ZSessionSource,
  templateName: ZCatalogName.optional(),
  profileName: ZCatalogName.optional(),
  presetId: z.string().min(1).max(255).optional(),
  resources: ZResourceRequest.optional(),
  systemPrompt: z.string().max(MAX_PROMPT_CHARS).optional(),
  initialPrompt: z.string().max(MAX_PROMPT_CHARS).optional(),
  credentialNames: z.array(ZCredentialName).max(50).optional(),
  integrationIds: z.array(ZIntegrationId).max(50).optional(),
  terminalRestricted: z.boolean().optional(),
  idleTimeoutMinutes: ZIdleTimeoutMinutes.optional(),
  /** Start right away (the default) or leave the session `created`. */
  start: z.boolean().default(true),
});
export type CreateSessionInput = z.infer<typeof ZCreateSessionInput>;

/**
 * Everything needed to launch the session again exactly as it was first launched: the result
 * of layering profile → template → preset → request. Stored with the session (`launch`).
 */
export const ZLaunchContext = z.strictObject({
  cli: ZCliTool,
  model: ZModelId,
  profileName: ZCatalogName.nullable(),
  templateName: ZCatalogName.nullable(),
  presetId: z.string().nullable(),
  systemPrompt: z.string().max(MAX_PROMPT_CHARS).nullable(),
  initialPrompt: z.string().max(MAX_PROMPT_CHARS).nullable(),
  resources: ZResourceRequest,
  env: ZEnvMap,
  envSecretRefs: z.array(ZEnvSecretRef),
  mcpServers: z.array(ZMcpServer),
  setupScripts: z.array(ZSetupScript),
  repos: z.array(ZTemplateRepo),
  credentialNames: z.array(ZCredentialName),
  /** Resolved at create: the explicit list, or the owner's integrations enabled then. */
  integrationIds: z.array(ZIntegrationId),
  terminalRestricted: z.boolean(),
  idleTimeoutMinutes: ZIdleTimeoutMinutes.nullable(),
});
export type LaunchContext = z.infer<typeof ZLaunchContext>;

/** A PodManager's reference to what it started for one attempt (opaque to everyone else). */
export const ZPodHandle = z.strictObject({
  backend: z.string().min(1).max(100),
  id: z.string().min(1).max(500),
  attemptId: z.string().min(1).max(300),
  endpoints: ZSessionEndpoints.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type PodHandle = z.infer<typeof ZPodHandle>;

/**
 * The reconciler's bookkeeping (`runtime` column). `attemptId` is written before the
 * PodManager is asked to start, so a resumed reconciler never starts the same attempt twice.
 */
export const ZSessionRuntime = z.strictObject({
  /** Incremented by every start request. */
  attempt: z.int().nonnegative(),
  attemptId: z.string().nullable(),
  submittedAt: z.iso.datetime().nullable(),
  handle: ZPodHandle.nullable(),
  /** Containers already reported ready for this attempt (so each is announced once). */
  readyContainers: z.array(z.string()),
  /** What to do once the session reaches `stopped` (archive asks for a stop first). */
  afterStop: z.enum(['archive']).nullable(),
});
export type SessionRuntime = z.infer<typeof ZSessionRuntime>;

export const emptyRuntime: SessionRuntime = {
  attempt: 0,
  attemptId: null,
  submittedAt: null,
  handle: null,
  readyContainers: [],
  afterStop: null,
};

const ZTimestamp = z.iso.datetime();

/** A session as every API client sees it. Nothing internal (leases, runtime, spec) is here. */
export const ZSession = z.strictObject({
  id: ZSessionId,
  name: z.string(),
  ownerId: z.string(),
  tenantId: z.string(),
  model: z.string(),
  cli: ZCliTool,
  source: ZSessionSource,
  state: ZSessionState,
  /** Why the session is in its state (always set for `failed`), written for a person. */
  stateReason: z.string().nullable(),
  endpoints: ZSessionEndpoints.nullable(),
  templateName: z.string().nullable(),
  profileName: z.string().nullable(),
  presetId: z.string().nullable(),
  parentChronicleId: z.string().nullable(),
  terminalRestricted: z.boolean(),
  idleTimeoutMinutes: z.int().nullable(),
  activityState: ZActivityState,
  activityMetadata: z.record(z.string(), z.unknown()),
  lastActivityAt: ZTimestamp.nullable(),
  tokensUsed: z.int().nonnegative(),
  costUsd: z.number().nonnegative(),
  messageCount: z.int().nonnegative(),
  provisioningStartedAt: ZTimestamp.nullable(),
  runningSince: ZTimestamp.nullable(),
  stoppedAt: ZTimestamp.nullable(),
  archivedAt: ZTimestamp.nullable(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Session = z.infer<typeof ZSession>;

export const ZSessionIdInput = z.strictObject({ id: ZSessionId });
export type SessionIdInput = z.infer<typeof ZSessionIdInput>;

export const MAX_SESSION_PAGE = 100;

export const ZListSessionsInput = z.strictObject({
  /** Only sessions in these states. Naming `archived` includes archived sessions. */
  states: z.array(ZSessionState).min(1).max(SESSION_STATES.length).optional(),
  /** Only this owner's sessions (a principal who may see only its own gets only its own). */
  ownerId: z.string().min(1).max(255).optional(),
  includeArchived: z.boolean().default(false),
  cursor: z.string().min(1).max(500).optional(),
  limit: z.int().min(1).max(MAX_SESSION_PAGE).default(50),
});
export type ListSessionsInput = z.infer<typeof ZListSessionsInput>;

export const ZSessionPage = z.strictObject({
  items: z.array(ZSession),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type SessionPage = z.infer<typeof ZSessionPage>;

/** Changes apply from the next start (a running session keeps its current launch). */
export const ZUpdateSessionInput = z
  .strictObject({
    id: ZSessionId,
    name: ZSessionName.optional(),
    model: ZModelId.optional(),
    branch: ZBranchName.optional(),
  })
  .refine((u) => u.name !== undefined || u.model !== undefined || u.branch !== undefined, {
    message: 'nothing to update: give name, model or branch',
  });
export type UpdateSessionInput = z.infer<typeof ZUpdateSessionInput>;

export const ZDeleteCleanup = z.enum(['workspace_storage', 'chronicles']);
export const ZDeleteSessionInput = z.strictObject({
  id: ZSessionId,
  /** Also delete the workspace volume and/or the session's chronicles (both are kept otherwise). */
  cleanup: z.array(ZDeleteCleanup).max(2).default([]),
});
export type DeleteSessionInput = z.infer<typeof ZDeleteSessionInput>;

export const ZDeleteSessionOutput = z.strictObject({ id: ZSessionId, deleted: z.literal(true) });

/** No options: nothing, `null` or `{}` (what HTTP clients send for a call without input). */
export const ZArchiveStoppedInput = z.union([z.undefined(), z.null(), z.strictObject({})]).transform(() => undefined);

export const ZArchiveStoppedOutput = z.strictObject({
  archived: z.array(ZSessionId),
  /** Sessions that changed state while being archived and were left alone. */
  skipped: z.array(ZSessionId),
});
export type ArchiveStoppedOutput = z.infer<typeof ZArchiveStoppedOutput>;

/** What the broker reports about the agent (counts as activity for idle auto-stop). */
/** The services of a running session that a gateway opens for someone. */
export const ZSessionService = z.enum(['chat', 'terminal', 'ide', 'api']);
export type SessionService = z.infer<typeof ZSessionService>;

/** A gateway asks before it opens one of a session's services for someone other than its owner. */
export const ZOpenSessionServiceInput = z.strictObject({
  id: ZSessionId,
  service: ZSessionService,
});
export const ZOpenSessionServiceOutput = z.strictObject({ sessionId: z.string(), service: ZSessionService });

export const ZReportActivityInput = z.strictObject({
  id: ZSessionId,
  state: ZActivityState,
  metadata: z.record(z.string().max(100), z.unknown()).default({}),
});
export type ReportActivityInput = z.infer<typeof ZReportActivityInput>;
