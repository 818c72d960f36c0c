import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openForOtherThroughApi } from './open-for-other';

describe('openForOtherThroughApi', () => {
  let api: Server;
  let base: string;
  const requests: { url: string; authorization: string | undefined; body: string }[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };

  beforeAll(async () => {
    api = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        requests.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => api.close(resolve)));

  const request = { token: 'tok', sessionId: 's 1', service: 'terminal' };

  it("asks the API's access route with the user's token and passes on its answer", async () => {
    const ask = openForOtherThroughApi(() => base);
    await expect(ask(request)).resolves.toBeNull();
    expect(requests.at(-1)).toEqual({
      url: '/api/v1/sessions/s%201/access',
      authorization: 'Bearer tok',
      body: '{"service":"terminal"}',
    });
    answer = { status: 403, body: { error: { code: 'FORBIDDEN', message: 'You may not chat session "x"' } } };
    await expect(ask(request)).resolves.toEqual({
      status: 403,
      code: 'FORBIDDEN',
      message: 'You may not chat session "x"',
    });
    answer = { status: 404, body: { error: { code: 'SESSION_NOT_FOUND', message: 'No session s 1' } } };
    await expect(ask(request)).resolves.toMatchObject({ status: 404, code: 'SESSION_NOT_FOUND' });
    answer = { status: 500, body: { error: { code: 'INTERNAL', message: 'boom' } } };
    await expect(ask(request)).resolves.toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
  });

  it('refuses when there is no API to record the access', async () => {
    await expect(openForOtherThroughApi(() => null)(request)).resolves.toMatchObject({ status: 503 });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(openForOtherThroughApi(() => `http://127.0.0.1:${port}`)(request)).resolves.toMatchObject({
      status: 503,
      message: expect.stringMatching(/audit log/),
    });
  });
});
