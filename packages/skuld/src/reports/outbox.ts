/**
 * Durable outbox for reports to the API. `enqueue` writes each report to its own file in
 * `<state dir>/outbox/` (write + rename, so a crash leaves whole files only) before returning;
 * a sender delivers them in order, in batches, and deletes a file only once the API has named
 * its key as accepted. Failures are retried with exponential backoff; the API de-duplicates by
 * key, so a retry after a lost answer is not counted twice.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_REPORTS_PER_BATCH, type Report, ZReport } from '@volundr/contracts/reports';
import type { Logger } from '@volundr/core/shared/ports/logger';
import type { ReportsClient } from '@volundr/sdk/reports-client';
import { ReportsClientError } from '@volundr/sdk/reports-client';

export interface OutboxOptions {
  dir: string;
  /** Null when no API is configured: reports are still kept on disk. */
  client: ReportsClient | null;
  logger: Logger;
  retry: { minMs: number; maxMs: number };
  batchSize?: number;
}

export interface Outbox {
  enqueue(report: Report): void;
  /** Reports on disk not yet accepted. */
  pending(): number;
  /** Starts delivering in the background. */
  start(): void;
  /** Tries to deliver everything now (ignoring backoff) until empty or `timeoutMs`; resolves with what is left. */
  flush(timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

const NAME = /^(\d{12})\.json$/;

export function createOutbox(options: OutboxOptions): Outbox {
  const { dir, client, logger } = options;
  const deadDir = join(dir, 'rejected');
  mkdirSync(dir, { recursive: true });
  const batchSize = Math.min(options.batchSize ?? 50, MAX_REPORTS_PER_BATCH);

  const queue: string[] = readdirSync(dir)
    .filter((name) => NAME.test(name))
    .sort();
  let counter = queue.length > 0 ? Number(NAME.exec(queue.at(-1) ?? '')?.[1] ?? 0) : 0;
  let running = false;
  let stopped = true;
  let sending: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let delayMs = 0;
  /** After a batch was refused as invalid, send one report at a time to find the culprit. */
  let isolate = false;
  let wake: (() => void) | null = null;
  let urgent = false;

  if (queue.length > 0) logger.info({ pending: queue.length }, 'outbox has reports from an earlier run');

  const schedule = (ms: number) => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void pump();
    }, ms);
  };

  const readBatch = (): { name: string; report: Report }[] => {
    const out: { name: string; report: Report }[] = [];
    for (const name of queue.slice(0, isolate ? 1 : batchSize)) {
      try {
        out.push({ name, report: ZReport.parse(JSON.parse(readFileSync(join(dir, name), 'utf8'))) });
      } catch (error) {
        reject(name, `unreadable outbox file: ${(error as Error).message}`);
      }
    }
    return out;
  };

  const remove = (name: string) => {
    rmSync(join(dir, name), { force: true });
    const index = queue.indexOf(name);
    if (index !== -1) queue.splice(index, 1);
  };

  const reject = (name: string, reason: string) => {
    mkdirSync(deadDir, { recursive: true });
    renameSync(join(dir, name), join(deadDir, name));
    const index = queue.indexOf(name);
    if (index !== -1) queue.splice(index, 1);
    logger.error({ file: join(deadDir, name), reason }, 'report rejected for good; kept aside');
  };

  /** One delivery attempt of the oldest batch. Returns whether it made progress. */
  const sendOnce = async (): Promise<boolean> => {
    if (!client) return false;
    const batch = readBatch();
    if (batch.length === 0) return queue.length > 0;
    try {
      const result = await client.send({ reports: batch.map((entry) => entry.report) });
      const accepted = new Set(result.accepted);
      let progressed = false;
      for (const entry of batch) {
        if (accepted.has(entry.report.key)) {
          remove(entry.name);
          progressed = true;
        }
      }
      if (progressed) isolate = false;
      if (!progressed) logger.warn({ keys: batch.length }, 'API accepted none of the batch; will retry');
      return progressed;
    } catch (error) {
      if (error instanceof ReportsClientError && !error.retryable) {
        const first = batch[0];
        if (batch.length === 1 && first) {
          reject(first.name, error.message);
          return true;
        }
        isolate = true;
        logger.warn({ error: error.message }, 'API refused a batch; sending one report at a time');
        return true;
      }
      logger.warn({ error: (error as Error).message, pending: queue.length }, 'report delivery failed; will retry');
      return false;
    }
  };

  const pump = async () => {
    if (running || stopped) return;
    running = true;
    sending = (async () => {
      while (!stopped && queue.length > 0) {
        const progressed = await sendOnce();
        if (progressed) {
          delayMs = 0;
          continue;
        }
        delayMs = delayMs === 0 || urgent ? options.retry.minMs : Math.min(options.retry.maxMs, delayMs * 2);
        // Jitter between 50% and 100% so many brokers do not hammer a recovering API together.
        const wait = Math.round(delayMs * (0.5 + Math.random() * 0.5));
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = null;
      }
    })();
    try {
      await sending;
    } finally {
      running = false;
      sending = null;
    }
  };

  return {
    enqueue(report) {
      const checked = ZReport.parse(report);
      counter += 1;
      const name = `${String(counter).padStart(12, '0')}.json`;
      const tmp = join(dir, `.${name}.tmp`);
      writeFileSync(tmp, JSON.stringify(checked));
      renameSync(tmp, join(dir, name));
      queue.push(name);
      if (!stopped && !running) schedule(0);
    },
    pending: () => queue.length,
    start() {
      if (!stopped) return;
      stopped = false;
      if (!client) logger.warn({ dir }, 'no API configured (SKULD_API_URL): reports stay in the outbox');
      schedule(0);
    },
    async flush(timeoutMs) {
      if (!client) return queue.length;
      const deadline = Date.now() + timeoutMs;
      const wasStopped = stopped;
      stopped = false;
      urgent = true;
      try {
        while (queue.length > 0 && Date.now() < deadline) {
          if (!running) void pump();
          // Cut a long backoff short: while flushing, retries come every retry.minMs.
          wake?.();
          await within(sending ?? Promise.resolve(), Math.max(1, deadline - Date.now()));
        }
      } finally {
        urgent = false;
        stopped = wasStopped;
      }
      return queue.length;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      wake?.();
      await sending;
    },
  };
}

/** Waits for `promise` or `ms`, whichever is first, leaving no timer behind. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
