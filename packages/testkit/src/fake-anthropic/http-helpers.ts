/**
 * Small HTTP plumbing shared by the fake model APIs (this one and ../fake-openai): bounded body
 * reading, JSON answers, waits that end when the client goes away, and deadline-bound waits.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** The body as text, or null when it exceeds 32 MiB (the rest is drained, not kept). */
export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** Waits `ms`, or less if the client disconnects first. */
export function sleepUnlessClosed(res: ServerResponse, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
    res.on('close', done);
  });
}

/** Held responses and deadline-bound waits on the server's state. */
export function createSignals(name: string) {
  const held = new Set<() => void>();
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  return {
    held,
    notify,
    /** Resolves when `res` is released or its client goes away. */
    hold(res: ServerResponse): Promise<void> {
      return new Promise<void>((resolve) => {
        const done = () => {
          held.delete(done);
          res.off('close', done);
          resolve();
        };
        held.add(done);
        res.on('close', done);
        notify();
      });
    },
    releaseAll(): void {
      for (const done of [...held]) done();
    },
    waitFor(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        if (check()) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${name}: timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        const waiter = () => {
          if (!check()) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve();
        };
        waiters.add(waiter);
      });
    },
  };
}
