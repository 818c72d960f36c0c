import { z } from 'zod';

/** The `chronicles:` section (docs/chronicles.md). */
export const ZChroniclesConfig = z
  .object({
    /**
     * How long after its session stopped a chronicle waits for the broker's final report before
     * it is completed from the timeline alone (marked partial). Give the broker time to summarize
     * and flush its outbox (Skuld's SUMMARY_TIMEOUT + SHUTDOWN_FLUSH, 25 s by default).
     */
    reportGraceSeconds: z.int().min(0).max(86_400).default(120),
    /** How often this process looks for chronicles to complete. */
    completionIntervalSeconds: z.number().min(0.05).max(3_600).default(10),
    /** Run the completion and retention jobs in this process (turn off for request-only replicas). */
    jobsEnabled: z.boolean().default(true),
    /** Remove chronicles (with timelines) and usage rows untouched for this many days; null: keep forever. */
    retentionDays: z.int().min(1).max(36_500).nullable().default(null),
    /** How often the retention job runs when `retentionDays` is set. */
    retentionIntervalMinutes: z.int().min(1).max(10_080).default(60),
  })
  .strict();
export type ChroniclesConfig = z.infer<typeof ZChroniclesConfig>;
