import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { mintDevToken } from '@volundr/adapter-identity/embedded/dev-token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../../start-api';

const quiet = new Writable({ write: (_c, _e, done) => done() });

describe('identity over HTTP: JIT provisioning, me, personal access tokens', () => {
  let api: StartedApi;
  let base: string;
  let dataDir: string;
  let alice: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'volundr-tokens-'));
    api = await startApi({
      env: {},
      flags: { dataDir, 'server.port': 0, 'logging.level': 'warn' },
      logDestination: quiet,
    });
    base = `http://127.0.0.1:${api.port}`;
    alice = await mintDevToken({ dataDir, user: 'alice', issuer: api.issuer! });
  });
  afterAll(async () => {
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${base}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });

  it('provisions a user on the first request and answers me', async () => {
    const response = await call('/me', alice);
    expect(response.status).toBe(200);
    const me = (await response.json()) as {
      principal: { userId: string };
      user: { id: string; status: string };
      memberships: Array<{ role: string }>;
    };
    expect(me.principal.userId).toBe('alice');
    expect(me.user).toMatchObject({ id: 'alice', status: 'active' });
    expect(me.memberships).toEqual([expect.objectContaining({ role: 'volundr:developer' })]);
  });

  it('creates a token that works as a bearer, lists it without the secret, and revokes it', async () => {
    const created = await call('/tokens', alice, {
      method: 'POST',
      body: JSON.stringify({ name: 'ci', expiresInDays: 7 }),
    });
    expect(created.status).toBe(201);
    const { token, personalAccessToken } = (await created.json()) as {
      token: string;
      personalAccessToken: { id: string };
    };
    expect(token).toMatch(/^vpat_/);

    const viaToken = await call('/me', token);
    expect(((await viaToken.json()) as { principal: { userId: string } }).principal.userId).toBe('alice');

    const listed = await (await call('/tokens', alice)).text();
    expect(listed).toContain('"ci"');
    expect(listed).not.toContain(token);

    expect((await call(`/tokens/${personalAccessToken.id}`, alice, { method: 'DELETE' })).status).toBe(200);
    const revoked = await call('/me', token);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({
      error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('revoked') },
    });
  });

  it("does not let one user revoke another user's token", async () => {
    const bob = await mintDevToken({ dataDir, user: 'bob', issuer: api.issuer! });
    const created = (await (
      await call('/tokens', alice, { method: 'POST', body: JSON.stringify({ name: 'mine' }) })
    ).json()) as {
      personalAccessToken: { id: string };
    };
    const attempt = await call(`/tokens/${created.personalAccessToken.id}`, bob, { method: 'DELETE' });
    expect([403, 404]).toContain(attempt.status);
  });

  it('refuses requests without credentials with 401', async () => {
    const response = await fetch(`${base}/api/v1/me`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });
});
