/**
 * A small stand-in for the API's reports endpoint (`POST /api/v1/sessions/<id>/reports`) that
 * tests can take down and bring back on the same port, make fail, or make "lose" its answer
 * after storing a batch. It stores each key once, as the real endpoint must, and counts
 * deliveries so a test can tell a retry from a double count.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Report, ZReportBatch } from '@volundr/contracts/reports';

export type ReceiverMode = 'ok' | 'fail' | 'store-then-drop' | 'reject';

export interface ReportReceiver {
  readonly url: string;
  readonly port: number;
  /** Reports stored, in arrival order, each key once. */
  readonly reports: Report[];
  /** How many times each key was delivered (a retry of an unanswered batch counts again). */
  readonly deliveries: Map<string, number>;
  readonly requests: { authorization: string | undefined; path: string }[];
  mode: ReceiverMode;
  up(): Promise<void>;
  down(): Promise<void>;
  /** Resolves when `predicate` holds for the stored reports (checked on every request). */
  waitFor(predicate: (reports: Report[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function createReportReceiver(): Promise<ReportReceiver> {
  // Reserve a port: the receiver must come back where the broker keeps sending.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  const reports: Report[] = [];
  const deliveries = new Map<string, number>();
  const requests: ReportReceiver['requests'] = [];
  const waiters = new Set<() => void>();
  let server: Server | null = null;

  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ authorization: req.headers.authorization, path: req.url ?? '' });
      if (receiver.mode === 'fail') {
        res.writeHead(503).end('{"code":"DEPENDENCY_UNAVAILABLE","message":"down for the test"}');
        return;
      }
      const parsed = ZReportBatch.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      if (!parsed.success || receiver.mode === 'reject') {
        res.writeHead(400).end(JSON.stringify({ code: 'VALIDATION_FAILED', message: 'bad batch' }));
        return;
      }
      for (const report of parsed.data.reports) {
        deliveries.set(report.key, (deliveries.get(report.key) ?? 0) + 1);
        if (!reports.some((stored) => stored.key === report.key)) reports.push(report);
      }
      for (const waiter of waiters) waiter();
      if (receiver.mode === 'store-then-drop') {
        // Stored, but the answer never arrives: the broker must retry and must not double count.
        receiver.mode = 'ok';
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: parsed.data.reports.map((report) => report.key) }));
    });
  };

  const receiver: ReportReceiver = {
    url: `http://127.0.0.1:${port}`,
    port,
    reports,
    deliveries,
    requests,
    mode: 'ok',
    async up() {
      if (server) return;
      const s = createServer(handler);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      server = s;
    },
    async down() {
      const s = server;
      server = null;
      if (!s) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(reports)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out; received keys: ${reports.map((r) => r.key).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      return receiver.down();
    },
  };
  return receiver;
}
