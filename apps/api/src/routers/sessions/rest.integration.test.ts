import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SessionTestApi, startSessionTestApi } from '../../test/session-test-api';
import { openSse, type SseMessage, type SseStream } from '../../test/sse-client';

interface SessionJson {
  id: string;
  name: string;
  state: string;
  endpoints: { chat: string | null } | null;
}

const stateChangedTo = (sessionId: string, state: string) => (m: SseMessage) => {
  if (m.event !== 'state_changed') return false;
  const data = JSON.parse(m.data) as { sessionId: string; data: { to: string } };
  return data.sessionId === sessionId && data.data.to === state;
};

describe.each(['pglite', 'postgres'] as const)('sessions over REST on %s', (driver) => {
  let t: SessionTestApi;
  let token: string;
  let stream: SseStream;

  const call = async (method: string, path: string, body?: unknown, bearer = token) => {
    const response = await fetch(`${t.base}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };

  beforeAll(async () => {
    t = await startSessionTestApi({ driver });
    token = await t.token('alice');
    expect((await call('GET', '/sessions')).status).toBe(200); // provisions alice
    await t.setQuota('default', 50);
    stream = await openSse(`${t.base}/api/v1/sessions/stream`, { authorization: `Bearer ${token}` });
  });
  afterAll(async () => {
    stream?.close();
    await t?.stop();
  });

  it('documents every sessions route in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.base}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/api/v1/sessions']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/sessions/{id}']!).sort()).toEqual(['delete', 'get', 'patch']);
    for (const action of ['start', 'stop', 'archive', 'restore'])
      expect(doc.paths[`/api/v1/sessions/{id}/${action}`]).toHaveProperty('post');
    expect(doc.paths['/api/v1/sessions/stream']).toHaveProperty('get');
    for (const path of ['/templates', '/profiles', '/models', '/presets', '/presets/{id}'])
      expect(doc.paths[`/api/v1${path}`]).toHaveProperty('get');
  });

  it('creates, streams, stops, archives, restores and deletes a session', async () => {
    expect(stream.status).toBe(200);
    const created = await call('POST', '/sessions', {
      name: 'rest-life',
      model: 'claude-sonnet-4-5',
      source: { type: 'blank' },
    });
    expect(created.status).toBe(201);
    const session = created.body as unknown as SessionJson;
    expect(session).toMatchObject({ name: 'rest-life', state: 'starting' });

    const seen = await stream.until(stateChangedTo(session.id, 'running'));
    expect(seen.every((m) => m.id !== undefined && /^\d+$/.test(m.id))).toBe(true);
    expect(seen.map((m) => m.event)).toContain('pod_submitted');

    const fetched = await call('GET', `/sessions/${session.id}`);
    expect(fetched).toMatchObject({ status: 200, body: { id: session.id, state: 'running' } });
    const patched = await call('PATCH', `/sessions/${session.id}`, { name: 'rest-renamed' });
    expect(patched).toMatchObject({ status: 200, body: { name: 'rest-renamed' } });
    const listed = await call('GET', '/sessions?states=running,starting&limit=10');
    expect(((listed.body?.items ?? []) as SessionJson[]).map((s) => s.id)).toContain(session.id);

    expect((await call('POST', `/sessions/${session.id}/stop`)).body).toMatchObject({ state: 'stopping' });
    await stream.until(stateChangedTo(session.id, 'stopped'));
    expect((await call('POST', `/sessions/${session.id}/archive`)).body).toMatchObject({ state: 'archived' });
    expect((await call('POST', `/sessions/${session.id}/restore`)).body).toMatchObject({ state: 'stopped' });
    const conflict = await call('POST', `/sessions/${session.id}/restore`);
    expect(conflict).toMatchObject({ status: 409, body: { error: { code: 'SESSION_INVALID_TRANSITION' } } });
    const deleted = await call('DELETE', `/sessions/${session.id}?cleanup=workspace_storage`);
    expect(deleted).toMatchObject({ status: 200, body: { id: session.id, deleted: true } });
    expect(await call('GET', `/sessions/${session.id}`)).toMatchObject({
      status: 404,
      body: { error: { code: 'SESSION_NOT_FOUND' } },
    });
  });

  it('resumes the stream after Last-Event-ID', async () => {
    const created = await call('POST', '/sessions', {
      name: 'rest-resume',
      model: 'claude-sonnet-4-5',
      source: { type: 'blank' },
      start: false,
    });
    const id = (created.body as unknown as SessionJson).id;
    const first = await openSse(`${t.base}/api/v1/sessions/stream?sessionId=${id}`, {
      authorization: `Bearer ${token}`,
    });
    const createdEvent = await first.next();
    expect(createdEvent.event).toBe('session_created');
    first.close();
    await call('POST', `/sessions/${id}/start`);
    const resumed = await openSse(`${t.base}/api/v1/sessions/stream?sessionId=${id}`, {
      authorization: `Bearer ${token}`,
      'last-event-id': createdEvent.id!,
    });
    const next = await resumed.next();
    expect(next.event).toBe('state_changed');
    expect(BigInt(next.id!)).toBeGreaterThan(BigInt(createdEvent.id!));
    expect(JSON.parse(next.data)).toMatchObject({ sessionId: id, data: { from: 'created', to: 'starting' } });
    resumed.close();
  });

  it('answers bad input with 422 and field paths, other failures with their code', async () => {
    const bad = await call('POST', '/sessions', { name: 'Not A Label', model: 'claude-sonnet-4-5', source: {} });
    expect(bad.status).toBe(422);
    const error = bad.body?.error as { code: string; issues: { path: (string | number)[] }[] };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['name', 'source.type']));
    expect(await call('GET', '/sessions?limit=abc')).toMatchObject({
      status: 422,
      body: { error: { code: 'VALIDATION_FAILED', issues: [{ path: ['limit'] }] } },
    });
    expect(
      await call('POST', '/sessions', { name: 'x', model: 'no-such-model', source: { type: 'blank' } }),
    ).toMatchObject({ status: 400, body: { error: { code: 'MODEL_NOT_FOUND' } } });
    expect(await call('GET', '/sessions/stream?lastEventId=abc')).toMatchObject({ status: 422 });
    const unauthenticated = await fetch(`${t.base}/api/v1/sessions`);
    expect(unauthenticated.status).toBe(401);
  });

  it('serves templates, profiles, models and presets', async () => {
    expect((await call('GET', '/models')).status).toBe(200);
    expect(await call('GET', '/profiles/claude')).toMatchObject({ status: 200, body: { name: 'claude' } });
    expect(await call('GET', '/templates/none')).toMatchObject({
      status: 404,
      body: { error: { code: 'TEMPLATE_NOT_FOUND' } },
    });
    const preset = await call('POST', '/presets', { name: 'mine', cli: 'codex', defaults: { model: 'gpt-5-codex' } });
    expect(preset.status).toBe(201);
    const id = preset.body?.id as string;
    expect(await call('PATCH', `/presets/${id}`, { isDefault: true })).toMatchObject({ body: { isDefault: true } });
    expect(await call('GET', '/presets?isDefault=true')).toMatchObject({ body: [{ id }] });
    expect(await call('DELETE', `/presets/${id}`)).toMatchObject({ status: 200, body: { id, deleted: true } });
    expect(await call('GET', `/presets/${id}`)).toMatchObject({
      status: 404,
      body: { error: { code: 'PRESET_NOT_FOUND' } },
    });
  });
});
