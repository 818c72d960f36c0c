import type { Clock } from '@volundr/core/shared/ports/clock';
import type { AuditLogRepository } from '@volundr/db/repositories/audit-log';
import type { AuditConfig } from '../config/events-config';
import type { AppLogger } from '../logger';
import { type PeriodicJob, startPeriodicJob } from './periodic-job';

const DAY_MS = 86_400_000;

/** One retention pass: deletes the audit entries older than `retentionDays`; how many. */
export async function purgeAuditLog(
  audit: Pick<AuditLogRepository, 'deleteOlderThan'>,
  retentionDays: number,
  clock: Clock,
  logger: AppLogger,
): Promise<number> {
  const before = new Date(clock.now().getTime() - retentionDays * DAY_MS);
  const deleted = await audit.deleteOlderThan(before);
  if (deleted > 0) logger.info({ deleted, before: before.toISOString() }, 'audit entries past retention deleted');
  return deleted;
}

/** The retention job (at start, then every `retentionIntervalMinutes`); null when entries are kept forever. */
export function startAuditRetention(
  config: AuditConfig,
  audit: Pick<AuditLogRepository, 'deleteOlderThan'>,
  clock: Clock,
  logger: AppLogger,
): PeriodicJob | null {
  const { retentionDays } = config;
  if (retentionDays === null) return null;
  return startPeriodicJob(
    'audit-retention',
    config.retentionIntervalMinutes * 60_000,
    () => purgeAuditLog(audit, retentionDays, clock, logger),
    logger,
  );
}
