import { watch } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { request } from 'node:http';

export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

export interface WaitContext {
  /** Absolute time (ms since epoch) to give up at. */
  deadline: number;
  signal?: AbortSignal;
  /** Returns a reason when the process is gone, so waiting stops at once. */
  exited(): string | null;
}

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export const fileSize = async (path: string) => {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
};

/**
 * Waits for a line in a log file written by another process (its stdout goes to the file so
 * that it outlives us). Woken by file-change notifications; a backoff re-check covers missed
 * ones. Only bytes after `fromOffset` count (the file is appended to across restarts).
 */
export async function waitForLogLine(
  file: string,
  fromOffset: number,
  match: (line: string) => boolean,
  what: string,
  context: WaitContext,
): Promise<string> {
  let offset = fromOffset;
  let partial = '';
  let wake: (() => void) | null = null;
  let watcher: ReturnType<typeof watch> | null = null;
  try {
    watcher = watch(file, () => wake?.());
    watcher.on('error', () => {});
  } catch {
    // The file may not exist yet; the backoff re-check still finds the line.
  }
  try {
    let delay = 5;
    for (;;) {
      const handle = await open(file, 'r').catch(() => null);
      if (handle) {
        try {
          const { size } = await handle.stat();
          if (size > offset) {
            const buffer = Buffer.alloc(size - offset);
            await handle.read(buffer, 0, buffer.length, offset);
            offset = size;
            const lines = (partial + buffer.toString('utf8')).split('\n');
            partial = lines.pop() ?? '';
            const found = lines.find(match);
            if (found !== undefined) return found;
          }
        } finally {
          await handle.close();
        }
      }
      const gone = context.exited();
      if (gone) throw new NotReadyError(`${what}: ${gone}`);
      if (context.signal?.aborted) throw new NotReadyError(`${what}: cancelled`);
      if (Date.now() >= context.deadline) throw new NotReadyError(`${what}: no ready line in time`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        void pause(Math.min(delay, Math.max(1, context.deadline - Date.now())), context.signal).then(resolve);
      });
      wake = null;
      delay = Math.min(delay * 2, 250);
    }
  } finally {
    watcher?.close();
  }
}

function getStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Polls `url` with backoff (5 ms doubling to 250 ms) until it answers 2xx. */
export async function waitForHttpOk(url: string, what: string, context: WaitContext): Promise<void> {
  let delay = 5;
  let last = 0;
  for (;;) {
    last = await getStatus(url, Math.max(100, Math.min(2_000, context.deadline - Date.now())));
    if (last >= 200 && last < 300) return;
    const gone = context.exited();
    if (gone) throw new NotReadyError(`${what}: ${gone}`);
    if (context.signal?.aborted) throw new NotReadyError(`${what}: cancelled`);
    if (Date.now() >= context.deadline) {
      throw new NotReadyError(`${what}: ${url} ${last === 0 ? 'did not answer' : `answered ${last}`} in time`);
    }
    await pause(Math.min(delay, Math.max(1, context.deadline - Date.now())), context.signal);
    delay = Math.min(delay * 2, 250);
  }
}

/** Whether `url` answers 2xx now (re-adoption check). */
export async function isHttpOk(url: string, timeoutMs = 2_000): Promise<boolean> {
  const status = await getStatus(url, timeoutMs);
  return status >= 200 && status < 300;
}

/** The last lines of a log file, for failure messages. */
export async function logTail(file: string, fromOffset: number, maxChars = 600): Promise<string> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return '';
  try {
    const { size } = await handle.stat();
    const start = Math.max(fromOffset, size - maxChars);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    await handle.read(buffer, 0, buffer.length, start);
    return buffer.toString('utf8').trim();
  } finally {
    await handle.close();
  }
}
