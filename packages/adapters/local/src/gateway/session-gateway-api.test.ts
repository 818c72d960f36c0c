/**
 * The gateway's `/s/<id>/api/…` route: authenticated and authorized (`read`), prefix stripped to
 * the broker's `/api/…`, the token moved into a header. The broker is a small HTTP server that
 * records what reached it (a double of the upstream); identity is real OIDC validation against
 * a test issuer, authorization the built-in roles.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBuiltinRolesAuthorization } from '@volundr/adapter-authz/builtin-roles';
import { createOidcIdentity } from '@volundr/adapter-identity/oidc-identity';
import { startTestIssuer, type TestIssuer } from '@volundr/testkit/test-issuer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type RouteFile, writeRouteFile } from '../runtime/route-file';
import { createSessionGateway, type GatewayRefusal } from './session-gateway';

const AUDIENCE = 'volundr-gw-test';
const OWNER = { sub: 'owner-1', tenant: 't1', roles: ['volundr:developer'] };

let issuer: TestIssuer;
let dataDir: string;
let broker: Server;
let front: Server;
let frontUrl: string;
const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
/** What the gateway asked before opening another user's session, and what it is answered. */
const asked: string[] = [];
let othersAnswer: GatewayRefusal | null = null;

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

const route = (phase: RouteFile['phase'], brokerPort: number): RouteFile => ({
  version: 1,
  sessionId: 's1',
  attemptId: 'a1',
  name: 's1',
  ownerId: OWNER.sub,
  tenantId: OWNER.tenant,
  phase,
  message: null,
  workspaceDir: join(dataDir, 'ws'),
  logsDir: join(dataDir, 'logs'),
  credentialFile: null,
  services: [
    {
      name: 'skuld',
      role: 'broker',
      port: brokerPort,
      pid: null,
      startTime: null,
      readinessPath: '/readyz',
      logFile: join(dataDir, 'skuld.log'),
      ready: true,
    },
  ],
  updatedAt: new Date().toISOString(),
});

beforeAll(async () => {
  issuer = await startTestIssuer({ audience: AUDIENCE });
  dataDir = mkdtempSync(join(tmpdir(), 'gw-api-'));
  broker = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"from":"broker"}');
  });
  const gateway = createSessionGateway({
    dataDir,
    identity: createOidcIdentity({ issuer: issuer.issuer, audience: AUDIENCE }),
    authorization: createBuiltinRolesAuthorization(),
    openForOther: async ({ principal, sessionId, service, token }) => {
      asked.push(`${principal.userId} ${sessionId} ${service} ${token.length > 0}`);
      return othersAnswer;
    },
  });
  front = createServer((req, res) => {
    if (!gateway.handleRequest(req, res)) res.writeHead(418).end();
  });
  front.on('upgrade', (req, socket, head) => {
    if (!gateway.handleUpgrade(req, socket, head)) socket.destroy();
  });
  const brokerPort = await listen(broker);
  frontUrl = `http://127.0.0.1:${await listen(front)}`;
  await writeRouteFile(dataDir, route('running', brokerPort));
});
afterAll(async () => {
  await new Promise((resolve) => front.close(resolve));
  await new Promise((resolve) => broker.close(resolve));
  await issuer.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  seen.length = 0;
  asked.length = 0;
  othersAnswer = null;
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${frontUrl}${path}`, { headers, redirect: 'manual' });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
};
const bearer = async (claims: Record<string, unknown> = OWNER) => ({
  authorization: `Bearer ${await issuer.sign(claims)}`,
});

describe('/s/<id>/api/…', () => {
  it('proxies to the broker’s /api/… with the token as a bearer header', async () => {
    const headers = await bearer();
    const answer = await get('/s/s1/api/diff/files?base=last-commit', headers);
    expect(answer).toEqual({ status: 200, body: { from: 'broker' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/api/diff/files?base=last-commit');
    expect(seen[0]?.headers.authorization).toBe(headers.authorization);
  });

  it('takes the token from access_token without a cookie redirect, and never forwards it in the URL', async () => {
    const token = await issuer.sign(OWNER);
    const answer = await get(`/s/s1/api/diff?path=a.txt&access_token=${token}&base=session-start`);
    expect(answer.status).toBe(200);
    expect(seen[0]?.url).toBe('/api/diff?path=a.txt&base=session-start');
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('accepts the session cookie and keeps it from the broker', async () => {
    const token = await issuer.sign(OWNER);
    expect((await get('/s/s1/api/diff/files', { cookie: `other=1; volundr_session=${token}` })).status).toBe(200);
    expect(seen[0]?.headers.cookie).toBe('other=1');
  });

  it('needs only read: a tenant viewer reads the diffs but may not open the terminal', async () => {
    const viewer = await bearer({ sub: 'viewer-1', tenant: 't1', roles: ['volundr:viewer'] });
    expect((await get('/s/s1/api/diff/files', viewer)).status).toBe(200);
    expect((await get('/s/s1/terminal/', viewer)).status).toBe(403);
  });

  it('refuses: 401 without or with a bad token, 404 for a stranger or another tenant, 503 when not running', async () => {
    expect(await get('/s/s1/api/diff/files')).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED' } },
    });
    expect((await get('/s/s1/api/diff/files', { authorization: 'Bearer x.y.z' })).status).toBe(401);
    const stranger = await bearer({ sub: 'dev-2', tenant: 't1', roles: ['volundr:developer'] });
    expect(await get('/s/s1/api/diff/files', stranger)).toMatchObject({
      status: 404,
      body: { error: { code: 'SESSION_NOT_FOUND' } },
    });
    const otherTenantAdmin = await bearer({ sub: 'adm', tenant: 't2', roles: ['volundr:admin'] });
    expect((await get('/s/s1/api/diff/files', otherTenantAdmin)).status).toBe(404);
    expect((await get('/s/nope/api/diff/files', await bearer())).status).toBe(404);
    expect(seen).toEqual([]);

    await writeRouteFile(dataDir, route('stopped', (broker.address() as AddressInfo).port));
    try {
      expect(await get('/s/s1/api/diff/files', await bearer())).toMatchObject({
        status: 503,
        body: { error: { code: 'SESSION_NOT_RUNNING' } },
      });
    } finally {
      await writeRouteFile(dataDir, route('running', (broker.address() as AddressInfo).port));
    }
  });

  it("asks before opening another user's session (once a minute per user and service), never for the owner's own", async () => {
    expect((await get('/s/s1/api/diff/files', await bearer())).status).toBe(200);
    expect(asked).toEqual([]);
    const admin = await bearer({ sub: 'admin-9', tenant: 't1', roles: ['volundr:admin'] });
    expect((await get('/s/s1/api/diff/files', admin)).status).toBe(200);
    expect((await get('/s/s1/api/diff', admin)).status).toBe(200);
    expect(asked).toEqual(['admin-9 s1 api true']);

    othersAnswer = { status: 503, code: 'DEPENDENCY_UNAVAILABLE', message: 'the audit log cannot be reached' };
    const other = await bearer({ sub: 'admin-8', tenant: 't1', roles: ['volundr:admin'] });
    expect(await get('/s/s1/api/diff/files', other)).toMatchObject({
      status: 503,
      body: { error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'the audit log cannot be reached' } },
    });
    expect(seen).toHaveLength(3);
  });

  it('has no WebSockets', async () => {
    const ws = new WebSocket(`${frontUrl.replace('http', 'ws')}/s/s1/api/diff`, { headers: await bearer() });
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(404);
    expect(seen).toEqual([]);
  });
});
