import { describe, expect, it } from 'vitest';
import {
  findToken,
  parseSessionPath,
  readCookie,
  sameOrigin,
  secondsUntilExpiry,
  sessionCookie,
  withoutAccessToken,
  withoutCookie,
} from './gateway-request';

const jwtWith = (payload: Record<string, unknown>) =>
  `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('parseSessionPath', () => {
  it.each([
    ['/api/x', { kind: 'none' }],
    ['/s/abc/ws/chat', { kind: 'service', service: 'chat', sessionId: 'abc', prefix: '/s/abc/ws/chat' }],
    ['/s/abc/api', { kind: 'service', service: 'api', sessionId: 'abc', prefix: '/s/abc/api' }],
    ['/s/abc/api/diff/files', { kind: 'service', service: 'api', sessionId: 'abc', prefix: '/s/abc/api' }],
    ['/s/abc/terminal', { kind: 'service', service: 'terminal', sessionId: 'abc', prefix: '/s/abc/terminal' }],
    ['/s/abc/terminal/ws', { kind: 'service', service: 'terminal', sessionId: 'abc', prefix: '/s/abc/terminal' }],
    ['/s/abc/ide', { kind: 'ide-slash', sessionId: 'abc' }],
    ['/s/abc/ide/static/x.js', { kind: 'service', service: 'ide', sessionId: 'abc', prefix: '/s/abc/ide' }],
    ['/s/a%40b/ide/', { kind: 'service', service: 'ide', sessionId: 'a@b', prefix: '/s/a%40b/ide' }],
  ])('%s', (path, expected) => {
    expect(parseSessionPath(path)).toEqual(expected);
  });

  it.each([
    '/s/',
    '/s/abc',
    '/s/abc/ws/chat/x',
    '/s/abc/terminalx',
    '/s/abc/apix',
    '/s/..%2Fetc/terminal/',
    '/s/%2e%2e/ide/',
    '/s/%E0%A4%A/ide/',
  ])('refuses %s', (path) => {
    expect(parseSessionPath(path).kind).toBe('unknown');
  });
});

describe('tokens and the session cookie', () => {
  const url = (q = '') => new URL(`http://h/s/abc/ide/${q}`);

  it('takes the header first, then the parameter, then the cookie', () => {
    expect(findToken({ authorization: 'Bearer h', cookie: 'volundr_session=c' }, url('?access_token=q'))).toEqual({
      token: 'h',
      source: 'header',
    });
    expect(findToken({ cookie: 'volundr_session=c' }, url('?access_token=q'))).toEqual({ token: 'q', source: 'query' });
    expect(findToken({ cookie: 'a=1; volundr_session=c' }, url())).toEqual({ token: 'c', source: 'cookie' });
    expect(findToken({ authorization: 'Basic eA==' }, url())).toBeNull();
  });

  it('scopes the cookie to the session, hides it from scripts and other sites, and expires it with the token', () => {
    const token = jwtWith({ exp: 1_000 + 300 });
    expect(sessionCookie('/s/abc', token, { secure: false, nowMs: 1_000_000 })).toBe(
      `volundr_session=${token}; Path=/s/abc/; HttpOnly; SameSite=Strict; Max-Age=300`,
    );
    expect(sessionCookie('/s/abc', 'opaque', { secure: true })).toBe(
      'volundr_session=opaque; Path=/s/abc/; HttpOnly; SameSite=Strict; Secure',
    );
    expect(secondsUntilExpiry(jwtWith({ exp: 10 }), 20_000)).toBe(0);
  });

  it('keeps other cookies and drops ours before proxying', () => {
    expect(withoutCookie('a=1; volundr_session=t; b=2', 'volundr_session')).toBe('a=1; b=2');
    expect(withoutCookie('volundr_session=t', 'volundr_session')).toBeNull();
    expect(readCookie('x=1;volundr_session=tok', 'volundr_session')).toBe('tok');
  });

  it('removes access_token from the forwarded URL', () => {
    expect(withoutAccessToken(new URL('http://h/s/a/ide/?folder=%2Fw&access_token=t'))).toBe('/s/a/ide/?folder=%2Fw');
  });

  it('accepts WebSockets from this origin or from non-browsers only', () => {
    expect(sameOrigin({ host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' })).toBe(true);
    expect(sameOrigin({ host: '127.0.0.1:8080' })).toBe(true);
    expect(sameOrigin({ host: '127.0.0.1:8080', origin: 'http://evil.example' })).toBe(false);
    expect(sameOrigin({ host: '127.0.0.1:8080', origin: 'null' })).toBe(false);
  });
});
