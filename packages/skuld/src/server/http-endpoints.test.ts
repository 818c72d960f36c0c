import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness } from '../test/broker-harness';

let h: Harness;
let ok = true;
beforeAll(async () => {
  h = await startHarness({
    transport: { check: async () => (ok ? { ok: true } : { ok: false, reason: 'claude binary not found' }) },
  });
});
afterAll(async () => {
  await h.close();
});

const get = async (path: string, method = 'GET') => {
  const response = await fetch(`http://127.0.0.1:${h.skuld.port}${path}`, { method });
  return { status: response.status, body: await response.json() };
};

it('answers /healthz, and /readyz by the transport check (also under the gateway prefix)', async () => {
  expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  expect(await get('/s/sess-1/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
  expect((await get('/nope')).status).toBe(404);
  expect((await get('/healthz', 'POST')).status).toBe(405);
  expect((await get('/s/other-session/healthz')).status).toBe(404);
});

it('is not ready while the transport cannot start', async () => {
  ok = false;
  await h.restart(); // the readiness answer is cached for a few seconds
  expect(await get('/readyz')).toEqual({
    status: 503,
    body: { status: 'not_ready', reason: 'claude binary not found' },
  });
  expect((await get('/healthz')).status).toBe(200);
});
