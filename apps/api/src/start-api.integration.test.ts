import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@volundr/testkit/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from './start-api';

const quiet = new Writable({ write: (_chunk, _enc, done) => done() });

describe.each(['pglite', 'postgres'] as const)('API skeleton on %s', (driver) => {
  let api: StartedApi;
  let base: string;
  let dataDir: string;
  let pg: TestDatabase | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'volundr-api-'));
    pg = driver === 'postgres' ? await createTestDatabase() : undefined;
    api = await startApi({
      env: pg ? { DATABASE_URL: pg.url } : {},
      flags: { dataDir, 'server.port': 0, 'logging.level': 'warn' },
      logDestination: quiet,
    });
    base = `http://127.0.0.1:${api.port}`;
  });
  afterAll(async () => {
    await api?.stop();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz and /readyz once composed and migrated', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: expect.arrayContaining([
        { name: 'database', ok: true },
        { name: 'migrations', ok: true },
      ]),
    });
  });

  it('serves tRPC at /trpc and the same procedures over REST with an OpenAPI document', async () => {
    const trpc = await fetch(`${base}/trpc/system.info`);
    expect(await trpc.json()).toEqual({
      result: { data: { name: 'volundr', version: expect.any(String), mode: 'local' } },
    });
    const rest = await fetch(`${base}/api/v1/auth/config`);
    expect(rest.status).toBe(200);
    expect(await rest.json()).toMatchObject({
      issuer: `${base}/oidc`,
      clients: { web: 'volundr-web', cli: 'volundr-cli' },
    });
    const openapi = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(openapi.openapi).toBe('3.0.3');
    expect(Object.keys(openapi.paths)).toContain('/api/v1/auth/config');
  });

  it('answers unknown paths and bad input with JSON errors carrying a stable code and the request id', async () => {
    const missing = await fetch(`${base}/nowhere`, { headers: { 'x-request-id': 'req-123' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('req-123');
    expect(await missing.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'No route for GET /nowhere', requestId: 'req-123' },
    });
    const wrongMethod = await fetch(`${base}/api/v1/auth/config`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    const badInput = await fetch(`${base}/api/v1/auth/config?x=1`);
    expect(badInput.status).toBe(422);
    expect(await badInput.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('refuses a bad bearer token with 401, not 500', async () => {
    const response = await fetch(`${base}/trpc/system.info`, { headers: { authorization: 'Bearer not-a-jwt' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { data: { apiError: { code: 'UNAUTHENTICATED' } } } });
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, then stops accepting', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'volundr-api-'));
    const api = await startApi({
      env: {},
      flags: { dataDir, 'server.port': 0, 'logging.level': 'warn' },
      logDestination: quiet,
    });
    // A slow upload keeps a request in flight while stop() begins.
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: api.port,
          path: '/api/v1/system/info',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': '2' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write('{');
      api.server.once('request', () => {
        const stopping = api.stop();
        req.end('}');
        stopping.catch(reject);
      });
    });
    expect(await inFlight).toBe(405);
    await expect(fetch(`http://127.0.0.1:${api.port}/healthz`)).rejects.toThrow();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
