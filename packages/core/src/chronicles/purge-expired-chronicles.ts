import type { Clock } from '../shared/ports/clock';
import type { Logger } from '../shared/ports/logger';
import type { Chronicles, PurgeCounts } from './ports/chronicles';

export interface PurgeExpiredChroniclesDeps {
  chronicles: Chronicles;
  clock: Clock;
  logger: Logger;
  /** Chronicles untouched for this many days go, with their timelines and old usage rows. */
  retentionDays: number;
  batchSize?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** One pass of the retention job. */
export const purgeExpiredChronicles = (deps: PurgeExpiredChroniclesDeps) => async (): Promise<PurgeCounts> => {
  if (!Number.isInteger(deps.retentionDays) || deps.retentionDays < 1)
    throw new Error(`retentionDays must be a positive whole number of days, got ${deps.retentionDays}`);
  const cutoff = new Date(deps.clock.now().getTime() - deps.retentionDays * DAY_MS);
  const counts = await deps.chronicles.purge(cutoff, deps.batchSize ?? 1_000);
  if (counts.chronicles + counts.tokenUsage > 0) {
    deps.logger.info({ ...counts, cutoff: cutoff.toISOString() }, 'expired chronicles removed');
  }
  return counts;
};
