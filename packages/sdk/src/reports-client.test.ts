import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReportBatch } from '@volundr/contracts/reports';
import { afterEach, describe, expect, it } from 'vitest';
import { createReportsClient, ReportsClientError } from './reports-client';

let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
});

async function serve(
  status: number,
  body: string,
): Promise<{ url: string; seen: { url?: string; auth?: string; body: string }[] }> {
  const seen: { url?: string; auth?: string; body: string }[] = [];
  const s = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      seen.push({ url: req.url, auth: req.headers.authorization, body: text });
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  server = s;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/`, seen };
}

const batch: ReportBatch = {
  reports: [
    { kind: 'activity', key: 'a1', occurredAt: '2024-05-01T10:00:00.000Z', state: 'idle', metadata: {} },
    {
      kind: 'final',
      key: 'f1',
      occurredAt: '2024-05-01T10:00:00Z',
      summary: 's',
      keyChanges: [],
      unfinishedWork: '',
      durationSeconds: 3,
    },
  ],
};

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as ReportsClientError;
  }
  throw new Error('expected a failure');
};

describe('reports client', () => {
  it('posts the batch with the bearer token and returns the accepted keys', async () => {
    const api = await serve(200, '{"accepted":["a1","f1"]}');
    const client = createReportsClient({ apiUrl: api.url, sessionId: 'sess/1', token: 'tok' });
    expect(await client.send(batch)).toEqual({ accepted: ['a1', 'f1'] });
    expect(api.seen[0]).toMatchObject({ url: '/api/v1/sessions/sess%2F1/reports', auth: 'Bearer tok' });
    expect(JSON.parse(api.seen[0]?.body ?? '')).toEqual(batch);
  });

  it('says which failures are worth retrying', async () => {
    const invalid = await serve(400, '{"code":"VALIDATION_FAILED"}');
    const refused = await failure(createReportsClient({ apiUrl: invalid.url, sessionId: 's', token: 't' }).send(batch));
    expect(refused).toBeInstanceOf(ReportsClientError);
    expect([refused.retryable, refused.status]).toEqual([false, 400]);
    await new Promise((resolve) => server?.close(resolve));

    const down = await serve(503, 'busy');
    expect(
      (await failure(createReportsClient({ apiUrl: down.url, sessionId: 's', token: 't' }).send(batch))).retryable,
    ).toBe(true);
    await new Promise((resolve) => server?.close(resolve));

    const odd = await serve(200, '{"ok":true}');
    const unexpected = await failure(createReportsClient({ apiUrl: odd.url, sessionId: 's', token: 't' }).send(batch));
    expect(unexpected.retryable).toBe(true);
    expect(unexpected.message).toContain('unexpected body');
    await new Promise((resolve) => server?.close(resolve));
    server = null;

    const unreachable = await failure(
      createReportsClient({ apiUrl: odd.url, sessionId: 's', token: 't', timeoutMs: 500 }).send(batch),
    );
    expect(unreachable.retryable).toBe(true);
  });

  it('refuses to send a batch that breaks the contract', async () => {
    const client = createReportsClient({ apiUrl: 'http://127.0.0.1:9', sessionId: 's', token: 't' });
    await expect(client.send({ reports: [] })).rejects.toThrow();
  });
});
