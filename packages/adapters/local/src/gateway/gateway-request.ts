/**
 * The pure parts of the local gateway: which service a `/s/<id>/…` path means (chat, the
 * broker's HTTP API, terminal, IDE), where the
 * bearer token comes from, and the session cookie that lets iframes (which cannot send
 * headers) load the terminal and the IDE.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { hasControlCharacter } from '../runtime/session-paths';

export type SessionService = 'chat' | 'api' | 'terminal' | 'ide';

export type SessionPath =
  /** Not a session path at all: someone else's request. */
  | { kind: 'none' }
  /** Under `/s/` but not a route we know (or an id that cannot be a session id). */
  | { kind: 'unknown'; reason: string }
  /** `/s/<id>/ide` without the slash: code-server needs it (it serves relative URLs). */
  | { kind: 'ide-slash'; sessionId: string }
  | { kind: 'service'; service: SessionService; sessionId: string; prefix: string };

export function parseSessionPath(pathname: string): SessionPath {
  if (!pathname.startsWith('/s/')) return { kind: 'none' };
  const slash = pathname.indexOf('/', 3);
  const rawId = slash === -1 ? pathname.slice(3) : pathname.slice(3, slash);
  const rest = slash === -1 ? '' : pathname.slice(slash);
  let sessionId: string;
  try {
    sessionId = decodeURIComponent(rawId);
  } catch {
    return { kind: 'unknown', reason: 'the session id in the path is not valid URL encoding' };
  }
  if (
    !sessionId ||
    sessionId === '.' ||
    sessionId === '..' ||
    /[/\\]/.test(sessionId) ||
    hasControlCharacter(sessionId)
  ) {
    return { kind: 'unknown', reason: 'the path does not name a session' };
  }
  const base = `/s/${rawId}`;
  if (rest === '/ws/chat') return { kind: 'service', service: 'chat', sessionId, prefix: `${base}/ws/chat` };
  if (rest === '/api' || rest.startsWith('/api/')) {
    return { kind: 'service', service: 'api', sessionId, prefix: `${base}/api` };
  }
  if (rest === '/terminal' || rest.startsWith('/terminal/')) {
    return { kind: 'service', service: 'terminal', sessionId, prefix: `${base}/terminal` };
  }
  if (rest === '/ide') return { kind: 'ide-slash', sessionId };
  if (rest.startsWith('/ide/')) return { kind: 'service', service: 'ide', sessionId, prefix: `${base}/ide` };
  return {
    kind: 'unknown',
    reason: `no session service at ${rest || '/'} (chat is /ws/chat, then /api/, /terminal/ and /ide/)`,
  };
}

export const SESSION_COOKIE = 'volundr_session';

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** The `Cookie` header without our cookie (the upstream must not see the user's token). */
export function withoutCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  const kept = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && part.slice(0, part.indexOf('=')).trim() !== name);
  return kept.length > 0 ? kept.join('; ') : null;
}

export type TokenSource = 'header' | 'query' | 'cookie';

/** The bearer token: `Authorization` header, then `access_token` parameter, then the session cookie. */
export function findToken(headers: IncomingHttpHeaders, url: URL): { token: string; source: TokenSource } | null {
  const header = headers.authorization;
  if (typeof header === 'string' && /^bearer\s+/i.test(header)) {
    const token = header.replace(/^bearer\s+/i, '').trim();
    if (token) return { token, source: 'header' };
  }
  const query = url.searchParams.get('access_token');
  if (query) return { token: query, source: 'query' };
  const cookie = readCookie(typeof headers.cookie === 'string' ? headers.cookie : undefined, SESSION_COOKIE);
  return cookie ? { token: cookie, source: 'cookie' } : null;
}

/** Seconds until the JWT's `exp` (already verified), or null when it has none or cannot be read. */
export function secondsUntilExpiry(token: string, nowMs = Date.now()): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? Math.max(0, Math.floor(exp - nowMs / 1000)) : null;
  } catch {
    return null;
  }
}

/**
 * The session cookie: the (verified) token itself, readable by no script (HttpOnly), sent only
 * to this session's paths and never on cross-site requests (SameSite=Strict), and expiring with
 * the token.
 */
export function sessionCookie(
  sessionPrefix: string,
  token: string,
  options: { secure: boolean; nowMs?: number },
): string {
  const maxAge = secondsUntilExpiry(token, options.nowMs);
  return [
    `${SESSION_COOKIE}=${token}`,
    `Path=${sessionPrefix}/`,
    'HttpOnly',
    'SameSite=Strict',
    ...(maxAge === null ? [] : [`Max-Age=${maxAge}`]),
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The request's path and query without `access_token` (after it was moved into the cookie). */
export function withoutAccessToken(url: URL): string {
  const copy = new URL(url.href);
  copy.searchParams.delete('access_token');
  return copy.pathname + copy.search;
}

/** Whether a browser's `Origin` is this origin (cross-site WebSocket hijacking guard). */
export function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true; // not a browser
  const host = headers['x-forwarded-host'] ?? headers.host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
