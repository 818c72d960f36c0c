import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { purgeAuditLog, startAuditRetention } from './audit-retention';

const clock = { now: () => new Date('2026-12-04T12:00:00.000Z') };
const logger = createLogger('silent');

describe('audit retention', () => {
  it('deletes what is older than retentionDays, counted from now', async () => {
    const asked: Date[] = [];
    const audit = {
      deleteOlderThan: async (before: Date) => {
        asked.push(before);
        return 3;
      },
    };
    expect(await purgeAuditLog(audit, 30, clock, logger)).toBe(3);
    expect(asked).toEqual([new Date('2026-11-04T12:00:00.000Z')]);
  });

  it('runs no job when entries are kept forever, and a first pass at once otherwise', async () => {
    const audit = { deleteOlderThan: async () => 0 };
    expect(startAuditRetention({ retentionDays: null, retentionIntervalMinutes: 60 }, audit, clock, logger)).toBeNull();
    let pass: () => void = () => {};
    const passed = new Promise<void>((resolve) => {
      pass = resolve;
    });
    const deleting = {
      deleteOlderThan: async () => {
        pass();
        return 0;
      },
    };
    const job = startAuditRetention({ retentionDays: 7, retentionIntervalMinutes: 60 }, deleting, clock, logger);
    await passed;
    await job?.stop();
  });
});
