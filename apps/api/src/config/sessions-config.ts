import { ZCpuQuantity, ZIdleTimeoutMinutes, ZMemoryQuantity } from '@volundr/contracts/profiles';
import { z } from 'zod';
import { ZAdapterBlock } from './adapter-block';

/** A host name as `sessions.git.allowedHosts` lists it: `github.com`, `*.corp.example`, or `*` (any). */
const ZHostPattern = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(\*|(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?)$/, 'a host name, "*.domain", or "*"');

/** The `sessions:` section: what every session gets unless a layer says otherwise. */
export const ZSessionsConfig = z
  .object({
    /** Stop running sessions idle this long when no profile, template, preset or request says (null: never). */
    defaultIdleTimeoutMinutes: ZIdleTimeoutMinutes.nullable().default(null),
    /** Give sessions the browser IDE (code-server) service. */
    ide: z.boolean().default(true),
    /**
     * The built-in git registry (used unless `adapters.git` names another): repositories on these
     * hosts are allowed. Default: any host in local mode, none in production (list yours).
     */
    git: z
      .object({
        allowedHosts: z.array(ZHostPattern).max(200).optional(),
        /** `file://` repositories (local mode only; refused in production whatever this says). */
        allowFileUrls: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** The built-in resources policy (used unless `adapters.resources` names another). */
    resources: z
      .object({
        defaultCpu: ZCpuQuantity.default('1'),
        defaultMemory: ZMemoryQuantity.default('2Gi'),
        maxGpu: z.int().min(0).max(16).default(0),
      })
      .strict()
      .prefault({}),
    /** Extra contributors, run after the built-in ten in this order (`{ use: "<module>#<Export>", ... }`). */
    contributors: z.array(ZAdapterBlock).max(50).default([]),
  })
  .strict();
export type SessionsConfig = z.infer<typeof ZSessionsConfig>;

const ms = (min: number, max: number) => z.int().min(min).max(max);

/** The `reconciler:` section (docs/sessions.md, "Reconciler"). */
export const ZReconcilerConfig = z
  .object({
    /** Run the provisioning loop in this process (turn off for API processes that only serve requests). */
    enabled: z.boolean().default(true),
    /** How long a claimed session stays with this process without renewal (a crashed one's work moves after it). */
    leaseMs: ms(500, 600_000).default(30_000),
    batchSize: z.int().min(1).max(500).default(25),
    concurrency: z.int().min(1).max(200).default(8),
    /** Time between passes when nothing wakes the loop; also the readiness polling fallback. */
    pollIntervalMs: ms(20, 60_000).default(2_000),
    provisioningTimeoutMs: ms(1_000, 24 * 3_600_000).default(300_000),
    /** Stop running sessions after this long (null: never). */
    maxLifetimeMs: ms(60_000, 365 * 24 * 3_600_000)
      .nullable()
      .default(null),
  })
  .strict();
export type ReconcilerConfig = z.infer<typeof ZReconcilerConfig>;
