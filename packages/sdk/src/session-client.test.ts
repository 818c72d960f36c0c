import { describe, expect, it } from 'vitest';
import { createSessionClient, SessionApiError, sessionApiUrl } from './session-client';

describe('sessionApiUrl', () => {
  it.each([
    ['/s/abc/ws/chat', 'abc', '/s/abc/api'],
    ['wss://volundr.example/s/abc/ws/chat', 'abc', 'https://volundr.example/s/abc/api'],
    ['ws://127.0.0.1:8080/s/a%40b/ws/chat', 'a@b', 'http://127.0.0.1:8080/s/a%40b/api'],
    [null, 'a@b', '/s/a%40b/api'],
    ['https://elsewhere.example/custom', 'abc', '/s/abc/api'],
  ])('%s → %s', (endpoint, id, expected) => {
    expect(sessionApiUrl(endpoint, id)).toBe(expected);
  });
});

describe('createSessionClient', () => {
  /** A fetch double answering with one canned response, remembering what was asked. */
  const answering = (status: number, body: unknown) => {
    const asked: { url: string; headers: Record<string, string> }[] = [];
    const fetchDouble = (async (url: string, init: RequestInit) => {
      asked.push({ url, headers: init.headers as Record<string, string> });
      return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
    }) as typeof fetch;
    return { asked, fetch: fetchDouble };
  };

  it('sends the token as a bearer header and the query it validated', async () => {
    const double = answering(404, { error: { code: 'NOT_FOUND', message: 'a.txt has no changes' } });
    const client = createSessionClient({
      apiUrl: '/s/abc/api',
      origin: 'http://h.test/sessions/abc',
      token: async () => 't0k',
      fetch: double.fetch,
    });
    const error = await client.fileDiff('dir/a b.txt', { base: 'last-commit' }).catch((e: unknown) => e);
    expect(double.asked).toEqual([
      {
        url: 'http://h.test/s/abc/api/diff?path=dir%2Fa+b.txt&base=last-commit',
        headers: { authorization: 'Bearer t0k', accept: 'application/json' },
      },
    ]);
    expect(error).toBeInstanceOf(SessionApiError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, message: 'a.txt has no changes' });
  });

  it('refuses a bad path before sending, and an answer that breaks the contract after', async () => {
    const double = answering(200, { base: { kind: 'session-start' }, files: 'nope' });
    const client = createSessionClient({ apiUrl: 'http://b.test/api', token: 't', fetch: double.fetch });
    await expect(client.fileDiff('../x')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 0 });
    expect(double.asked).toEqual([]);
    await expect(client.changedFiles()).rejects.toMatchObject({ code: 'CONTRACT', status: 200 });
    expect(double.asked[0]?.url).toBe('http://b.test/api/diff/files?base=session-start');
  });

  it('names a gateway error without a JSON body by its status', async () => {
    const client = createSessionClient({ apiUrl: 'http://b.test/api', token: 't', fetch: answering(502, 'bad').fetch });
    await expect(client.changedFiles()).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', status: 502 });
  });
});
