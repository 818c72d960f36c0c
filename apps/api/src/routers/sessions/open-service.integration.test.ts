/**
 * `POST /api/v1/sessions/{id}/access`: what a session gateway asks before it opens a chat,
 * terminal, IDE or the broker's API of another user's session. The answer is the same check
 * the gateway makes; an allowed access by someone else is in the audit log with its service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SessionTestApi, startSessionTestApi } from '../../test/session-test-api';

interface AuditPage {
  items: { action: string; actorId: string; resource: { id: string | null }; data: Record<string, unknown> }[];
}

describe('opening a service of a session for someone', () => {
  let t: SessionTestApi;
  let session: string;
  const tokens: Record<string, string> = {};
  const access = async (user: string, service: string, id = session) => {
    const response = await fetch(`${t.base}/api/v1/sessions/${id}/access`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ service }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const auditOf = async (id: string) => {
    const response = await fetch(`${t.base}/api/v1/audit?limit=100`, {
      headers: { authorization: `Bearer ${tokens.dave}` },
    });
    const page = (await response.json()) as AuditPage;
    return page.items.filter((e) => e.resource.id === id && e.action === 'authz.acted_on_other');
  };

  beforeAll(async () => {
    t = await startSessionTestApi({ driver: 'pglite' });
    tokens.alice = await t.token('alice');
    tokens.bob = await t.token('bob');
    tokens.dave = await t.token('dave', ['volundr:admin']);
    tokens.vera = await t.token('vera', ['volundr:viewer']);
    const created = await fetch(`${t.base}/api/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alices', model: 'claude-sonnet-4-5', source: { type: 'blank' }, start: false }),
    });
    session = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("lets the owner and an admin in, and records the admin's access with its service", async () => {
    expect(await access('alice', 'terminal')).toEqual({
      status: 200,
      body: { sessionId: session, service: 'terminal' },
    });
    expect(await auditOf(session)).toEqual([]);

    expect((await access('dave', 'terminal')).status).toBe(200);
    expect((await access('dave', 'ide')).status).toBe(200);
    const entries = await auditOf(session);
    expect(entries.map((e) => [e.actorId, e.data.action, e.data.service])).toEqual(
      expect.arrayContaining([
        ['dave', 'chat', 'terminal'],
        ['dave', 'chat', 'ide'],
      ]),
    );
  });

  it('lets a viewer read the API but not work in the session; another developer does not see it', async () => {
    expect((await access('vera', 'api')).status).toBe(200);
    expect(await access('vera', 'terminal')).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await access('bob', 'chat')).toMatchObject({ status: 404, body: { error: { code: 'SESSION_NOT_FOUND' } } });
  });

  it('refuses an unknown service or session with a clear error', async () => {
    expect(await access('dave', 'shell')).toMatchObject({
      status: 422,
      body: { error: { code: 'VALIDATION_FAILED', issues: [{ path: ['service'] }] } },
    });
    expect((await access('dave', 'ide', 'no-such-session')).status).toBe(404);
  });
});
