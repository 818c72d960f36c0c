import { describe, expect, it } from 'vitest';
import { sessionRestRoutes, typedQuery } from './rest-routes';

describe('typedQuery', () => {
  it('converts only the keys it is told to, leaving look-alike ids as strings', () => {
    const query = new URLSearchParams(
      'states=running,failed&states=created&limit=20&includeArchived=true&ownerId=12345',
    );
    expect(typedQuery(query, { arrays: ['states'], numbers: ['limit'], booleans: ['includeArchived'] })).toEqual({
      states: ['running', 'failed', 'created'],
      limit: 20,
      includeArchived: true,
      ownerId: '12345',
    });
    expect(typedQuery(new URLSearchParams('limit=abc'), { numbers: ['limit'] })).toEqual({ limit: 'abc' });
    expect(typedQuery(new URLSearchParams(''))).toBeUndefined();
  });

  it('lists the stream before the session-by-id route, whose pattern it would match', () => {
    const paths = sessionRestRoutes.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(paths.indexOf('/sessions/stream')).toBeLessThan(paths.indexOf('/sessions/{id}'));
  });

  it('takes Last-Event-ID over the query for the stream', () => {
    const stream = sessionRestRoutes.find((r) => r.path === '/sessions/stream')!;
    const input = stream.input!({
      params: {},
      query: new URLSearchParams('sessionId=s1&lastEventId=5'),
      body: undefined,
      headers: { 'last-event-id': '42' },
    });
    expect(input).toEqual({ sessionId: 's1', lastEventId: '42' });
  });
});
