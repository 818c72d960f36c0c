import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '@volundr/contracts/reports';
import { silentLogger } from '@volundr/core/shared/ports/logger';
import { createReportsClient } from '@volundr/sdk/reports-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReportReceiver, type ReportReceiver } from '../test/report-receiver';
import { createOutbox } from './outbox';

let dir: string;
let receiver: ReportReceiver;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skuld-outbox-'));
  receiver = await createReportReceiver();
});
afterEach(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

const usage = (n: number): Report => ({
  kind: 'usage',
  key: `usage:t${n}`,
  occurredAt: new Date().toISOString(),
  turnId: `t${n}`,
  model: 'm',
  inputTokens: n,
  outputTokens: 1,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
});

const outboxFor = (apiUrl: string | null) =>
  createOutbox({
    dir,
    client: apiUrl ? createReportsClient({ apiUrl, sessionId: 's 1', token: 'report-token' }) : null,
    logger: silentLogger,
    retry: { minMs: 10, maxMs: 50 },
    batchSize: 3,
  });

describe('outbox', () => {
  it('keeps reports while the API is down and delivers each once it is back, in order', async () => {
    const outbox = outboxFor(receiver.url);
    outbox.start();
    for (let i = 1; i <= 7; i++) outbox.enqueue(usage(i));
    expect(outbox.pending()).toBe(7);
    expect(await outbox.flush(200)).toBe(7); // still down: nothing lost, nothing sent
    await receiver.up();
    await receiver.waitFor((reports) => reports.length === 7);
    expect(await outbox.flush(5_000)).toBe(0);
    expect(receiver.reports.map((r) => r.key)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `usage:t${n}`));
    expect(receiver.requests[0]).toEqual({
      authorization: 'Bearer report-token',
      path: '/api/v1/sessions/s%201/reports',
    });
    expect(readdirSync(dir).filter((name) => name.endsWith('.json'))).toEqual([]);
    await outbox.stop();
  });

  it('retries a batch whose answer was lost, with the same keys', async () => {
    await receiver.up();
    receiver.mode = 'store-then-drop';
    const outbox = outboxFor(receiver.url);
    outbox.start();
    outbox.enqueue(usage(1));
    expect(await outbox.flush(5_000)).toBe(0);
    expect(receiver.deliveries.get('usage:t1')).toBe(2);
    expect(receiver.reports).toHaveLength(1);
    await outbox.stop();
  });

  it('survives a restart: reports queued by one process are sent by the next', async () => {
    const first = outboxFor(null);
    first.start();
    first.enqueue(usage(1));
    first.enqueue(usage(2));
    await first.stop();
    await receiver.up();
    const second = outboxFor(receiver.url);
    expect(second.pending()).toBe(2);
    second.start();
    second.enqueue(usage(3));
    expect(await second.flush(5_000)).toBe(0);
    expect(receiver.reports.map((r) => r.key)).toEqual(['usage:t1', 'usage:t2', 'usage:t3']);
    await second.stop();
  });

  it('sets aside reports the API refuses as invalid, one by one, and goes on', async () => {
    await receiver.up();
    receiver.mode = 'reject';
    const outbox = outboxFor(receiver.url);
    outbox.start();
    for (let i = 1; i <= 3; i++) outbox.enqueue(usage(i));
    expect(await outbox.flush(5_000)).toBe(0);
    expect(readdirSync(join(dir, 'rejected'))).toHaveLength(3);
    receiver.mode = 'ok';
    outbox.enqueue(usage(4));
    expect(await outbox.flush(5_000)).toBe(0);
    expect(receiver.reports.map((r) => r.key)).toEqual(['usage:t4']);
    await outbox.stop();
  });

  it('refuses to queue a report that breaks the contract', () => {
    const outbox = outboxFor(null);
    expect(() => outbox.enqueue({ ...usage(1), inputTokens: -1 } as Report)).toThrow();
    expect(existsSync(dir) && readdirSync(dir).filter((n) => n.endsWith('.json'))).toEqual([]);
  });
});
