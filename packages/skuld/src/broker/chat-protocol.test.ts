/**
 * Chat protocol v1 conformance against an in-process broker with the fake transport and real
 * token validation (test issuer).
 */
import type { ChatEvent } from '@volundr/contracts/chat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, type Harness, STRANGER, startHarness } from '../test/broker-harness';
import { connectClient } from '../test/test-client';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const ofTurn = (events: ChatEvent[], turnId: string) =>
  events.filter((event) => 'turnId' in event && event.turnId === turnId);

describe('connection', () => {
  it('sends ready (after the replay) with transport, model and capabilities, and answers ping with pong', async () => {
    const client = await connectClient(h.url, { token: await h.token() });
    const ready = client.events.at(-1);
    expect(ready).toMatchObject({ type: 'ready', transport: 'claude-sdk', model: 'fake-model', ephemeral: true });
    expect(ready && ready.type === 'ready' && ready.capabilities).toContain('interrupt');
    const before = client.events.length;
    client.send({ type: 'ping' });
    const pong = await client.waitFor((event) => event.type === 'pong', { from: before });
    expect(pong.ephemeral).toBe(true);
    await client.close();
  });

  it('accepts the token as access_token query parameter and the gateway path /s/<id>/ws/chat', async () => {
    const url = h.url.replace('/ws/chat', `/s/${h.config.sessionId}/ws/chat`);
    const client = await connectClient(url, { token: await h.token(), tokenIn: 'query' });
    expect(client.events.some((event) => event.type === 'ready')).toBe(true);
    await client.close();
  });

  it.each([
    ['no token', async () => undefined],
    ['a malformed token', async () => 'not-a-jwt'],
    ['an expired token', async () => h.token({}, { expiresIn: -120 })],
    ['a token for another audience', async () => h.token({}, { audience: 'another-service' })],
    ['a token from another issuer', async () => h.token({}, { issuer: 'http://evil.example' })],
  ])('closes with 4401 for %s', async (_what, makeToken) => {
    const token = await makeToken();
    const client = await connectClient(h.url, { ...(token ? { token } : {}), waitReady: false });
    const { code } = await client.closed;
    expect(code).toBe(4401);
    expect(client.events).toEqual([]);
  });

  it("closes with 4403 for another user's token, and lets an admin of the tenant in", async () => {
    const stranger = await connectClient(h.url, { token: await h.token(STRANGER), waitReady: false });
    expect((await stranger.closed).code).toBe(4403);
    expect(stranger.events).toEqual([]);
    const otherTenantAdmin = await connectClient(h.url, {
      token: await h.token({ ...STRANGER, tenant: 'tenant-2', roles: ['volundr:admin'] }),
      waitReady: false,
    });
    expect((await otherTenantAdmin.closed).code).toBe(4403);
    const admin = await connectClient(h.url, { token: await h.token({ ...STRANGER, roles: ['volundr:admin'] }) });
    expect(admin.events.some((event) => event.type === 'ready')).toBe(true);
    await admin.close();
    expect(AUDIENCE).toBe(h.config.oidc.audience);
  });

  it('refuses a frame over 1 MiB with close code 1009', async () => {
    const client = await connectClient(h.url, { token: await h.token() });
    client.sendRaw(JSON.stringify({ type: 'user_message', id: 'big', text: 'x'.repeat(1024 * 1024 + 10) }));
    expect((await client.closed).code).toBe(1009);
    const other = await connectClient(h.url, { token: await h.token() });
    expect(other.durable().some((event) => event.type === 'user_message' && event.id === 'big')).toBe(false);
    await other.close();
  });

  it('rejects a bad after parameter', async () => {
    const client = await connectClient(`${h.url}?after=abc`, { token: await h.token(), waitReady: false });
    const { code } = await client.closed;
    expect(code).toBe(1008);
    expect(client.events[0]).toMatchObject({ type: 'error', code: 'bad_request' });
  });
});

describe('conversation', () => {
  it('echoes a user message to every client with the author, then streams one turn', async () => {
    const a = await connectClient(h.url, { token: await h.token() });
    const b = await connectClient(h.url, { token: await h.token() });
    a.send({ type: 'user_message', id: 'm-echo', text: 'hello there' });
    for (const client of [a, b]) {
      const echo = await client.waitFor((event) => event.type === 'user_message' && event.id === 'm-echo');
      expect(echo).toMatchObject({ text: 'hello there', author: 'Ada Owner' });
    }
    const started = await b.waitFor((event) => event.type === 'turn_started' && event.userMessageId === 'm-echo');
    const turnId = started.type === 'turn_started' ? started.turnId : '';
    const done = await b.waitFor((event) => event.type === 'turn_completed' && event.turnId === turnId);
    const deltas = ofTurn(b.events, turnId).filter((event) => event.type === 'text_delta');
    const text = deltas.map((event) => (event.type === 'text_delta' ? event.text : '')).join('');
    expect(done.type === 'turn_completed' && done.text).toBe(text);
    expect(text).toBe('You said: hello there');
    expect(done).toMatchObject({ usage: { inputTokens: 10, outputTokens: 5 } });
    // Both clients saw the same events with the same seqs.
    const seqsA = a
      .durable()
      .filter((event) => event.seq >= started.seq)
      .map((event) => `${event.seq}:${event.type}`);
    await a.waitFor((event) => event.seq === done.seq);
    const seqsB = b.durable().filter((event) => event.seq >= started.seq && event.seq <= done.seq);
    expect(seqsA.slice(0, seqsB.length)).toEqual(seqsB.map((event) => `${event.seq}:${event.type}`));
    await Promise.all([a.close(), b.close()]);
  });

  it('ignores a user message id it has already seen', async () => {
    const client = await connectClient(h.url, { token: await h.token() });
    client.send({ type: 'user_message', id: 'm-dup', text: 'once' });
    client.send({ type: 'user_message', id: 'm-dup', text: 'once' });
    await client.waitFor((event) => event.type === 'turn_completed');
    client.send({ type: 'ping' });
    await client.waitFor((event) => event.type === 'pong');
    expect(client.events.filter((event) => event.type === 'user_message' && event.id === 'm-dup')).toHaveLength(1);
    expect(
      client.events.filter((event) => event.type === 'turn_started' && event.userMessageId === 'm-dup'),
    ).toHaveLength(1);
    await client.close();
  });

  it('queues messages while a turn runs and runs them one at a time', async () => {
    const client = await connectClient(h.url, { token: await h.token() });
    client.send({ type: 'user_message', id: 'q-1', text: '@permission Write' });
    const request = await client.waitFor((event) => event.type === 'permission_request');
    client.send({ type: 'user_message', id: 'q-2', text: 'second' });
    await client.waitFor((event) => event.type === 'user_message' && event.id === 'q-2');
    expect(client.events.some((event) => event.type === 'turn_started' && event.userMessageId === 'q-2')).toBe(false);
    client.send({
      type: 'permission_response',
      requestId: request.type === 'permission_request' && request.requestId,
      allow: true,
    });
    const second = await client.waitFor((event) => event.type === 'turn_started' && event.userMessageId === 'q-2');
    const firstTurn = client.events.find((event) => event.type === 'turn_started' && event.userMessageId === 'q-1');
    const firstEnd = client.events.find(
      (event) =>
        event.type === 'turn_completed' && firstTurn?.type === 'turn_started' && event.turnId === firstTurn.turnId,
    );
    expect(firstEnd && firstEnd.seq < second.seq).toBe(true);
    expect(firstEnd?.type === 'turn_completed' && firstEnd.text).toBe('allowed');
    await client.waitFor(
      (event) => event.type === 'turn_completed' && second.type === 'turn_started' && event.turnId === second.turnId,
    );
    await client.close();
  });

  it('round-trips a permission denial and reports an unknown request id', async () => {
    const client = await connectClient(h.url, { token: await h.token() });
    client.send({ type: 'user_message', id: 'p-deny', text: '@permission Bash rm -rf /' });
    const request = await client.waitFor((event) => event.type === 'permission_request');
    expect(request).toMatchObject({ toolName: 'Bash', input: { reason: 'rm -rf /' } });
    const from = client.events.length;
    client.send({ type: 'permission_response', requestId: 'no-such-request', allow: true });
    await client.waitFor((event) => event.type === 'error' && event.code === 'unknown_permission_request', { from });
    const requestId = request.type === 'permission_request' ? request.requestId : '';
    client.send({ type: 'permission_response', requestId, allow: false, updatedInput: { x: 1 } });
    const done = await client.waitFor((event) => event.type === 'turn_completed', { from });
    expect(done.type === 'turn_completed' && done.text).toBe('denied');
    expect(h.transport.calls.permissionAnswers.at(-1)).toEqual({ requestId, allow: false, updatedInput: { x: 1 } });
    await client.close();
  });

  it('interrupts the running turn', async () => {
    const client = await connectClient(h.url, { token: await h.token() });
    const from = client.events.length;
    client.send({ type: 'user_message', id: 'i-1', text: '@sleep 60000' });
    const started = await client.waitFor((event) => event.type === 'turn_started', { from });
    client.send({ type: 'interrupt' });
    const failed = await client.waitFor((event) => event.type === 'turn_failed', { from });
    expect(failed).toMatchObject({
      turnId: started.type === 'turn_started' && started.turnId,
      error: { code: 'interrupted' },
    });
    await client.close();
  });

  it('switches the model for the next turns and tells every client', async () => {
    const a = await connectClient(h.url, { token: await h.token() });
    const b = await connectClient(h.url, { token: await h.token() });
    const from = b.events.length;
    a.send({ type: 'set_model', model: 'fake-model-2' });
    await b.waitFor((event) => event.type === 'ready' && event.model === 'fake-model-2', { from });
    expect(h.transport.calls.models).toContain('fake-model-2');
    const c = await connectClient(h.url, { token: await h.token() });
    expect(c.events.at(-1)).toMatchObject({ type: 'ready', model: 'fake-model-2' });
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('ends a turn whose CLI crashed with transport_exited and goes on with the next message', async () => {
    const client = await connectClient(h.url, { token: await h.token() });
    const from = client.events.length;
    client.send({ type: 'user_message', id: 'c-1', text: '@crash' });
    client.send({ type: 'user_message', id: 'c-2', text: 'after the crash' });
    await client.waitFor((event) => event.type === 'turn_failed' && event.error.code === 'transport_exited', { from });
    const done = await client.waitFor((event) => event.type === 'turn_completed', { from });
    expect(done.type === 'turn_completed' && done.text).toBe('You said: after the crash');
    await client.close();
  });
});

describe('replay', () => {
  it('replays the whole log, or exactly the events after `after`, then streams live without gaps', async () => {
    const first = await connectClient(h.url, { token: await h.token() });
    first.send({ type: 'user_message', id: 'r-1', text: '@deltas 50' });
    await first.waitFor((event) => event.type === 'turn_completed' && event.seq > 0, { from: first.events.length - 1 });
    const all = first.durable();
    const cut = all[Math.floor(all.length / 2)]?.seq ?? 1;
    const resumed = await connectClient(h.url, { token: await h.token(), after: cut });
    const replayed = resumed.durable();
    expect(replayed[0]?.seq).toBe(cut + 1);
    expect(replayed.map((event) => event.seq)).toEqual(replayed.map((_, i) => cut + 1 + i));
    const expected = all.filter((event) => event.seq > cut);
    expect(replayed).toEqual(expected);
    expect(resumed.events[resumed.liveFrom - 1]).toMatchObject({ type: 'ready', seq: expected.at(-1)?.seq });
    // A live event after the replay continues the sequence.
    resumed.send({ type: 'user_message', id: 'r-2', text: 'more' });
    const echo = await resumed.waitFor((event) => event.type === 'user_message' && event.id === 'r-2');
    expect(echo.seq).toBe((expected.at(-1)?.seq ?? 0) + 1);
    const whole = await connectClient(h.url, { token: await h.token() });
    expect(whole.durable()[0]?.seq).toBe(1);
    expect(whole.durable().map((event) => event.seq)).toEqual(whole.durable().map((_, i) => i + 1));
    await Promise.all([first.close(), resumed.close(), whole.close()]);
  });

  it('tells a client whose after is beyond the log and replays from the start', async () => {
    const client = await connectClient(h.url, { token: await h.token(), after: 1_000_000 });
    expect(client.events[0]).toMatchObject({ type: 'error', code: 'after_out_of_range', ephemeral: true });
    expect(client.durable()[0]?.seq).toBe(1);
    await client.close();
  });
});
