import { z } from 'zod';

/** The `integrations:` section (docs/git-and-credentials.md). */
export const ZIntegrationsConfig = z
  .object({
    /** How often OAuth tokens about to expire are refreshed. */
    refreshIntervalMs: z.int().min(1_000).max(3_600_000).default(60_000),
    /** Refresh a token this long before it expires. */
    refreshAheadMs: z
      .int()
      .min(0)
      .max(24 * 3_600_000)
      .default(300_000),
    /** Where OAuth providers send the browser back (default `<publicUrl>/integrations/callback`). */
    callbackUrl: z.url().optional(),
  })
  .strict();
export type IntegrationsConfig = z.infer<typeof ZIntegrationsConfig>;
