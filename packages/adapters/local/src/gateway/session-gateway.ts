/**
 * The local gateway: what Envoy does in production, for `/s/<id>/…` on the front door's origin.
 * It runs in the `volundr up` front-door process, not in the API, and routes by the session's
 * route file, so chats and terminals survive an API restart. Every request is authenticated
 * (JWT from the Authorization header, the `access_token` parameter, or the session cookie) and
 * authorized against the session's owner and tenant before anything reaches a session process.
 * See docs/local-runtime.md for the routing table and the auth rules.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { chatCloseCodes } from '@volundr/contracts/chat';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { isDomainError } from '@volundr/core/errors';
import type { Identity } from '@volundr/core/identity/ports/identity';
import { type Logger, silentLogger } from '@volundr/core/shared/ports/logger';
import { WebSocketServer } from 'ws';
import { ideInstallHintPage } from '../ide/ide-install-hint-page';
import { type RouteFile, readSessionRoute, type ServiceRecord } from '../runtime/route-file';
import { safePathSegment } from '../runtime/session-paths';
import {
  findToken,
  parseSessionPath,
  SESSION_COOKIE,
  type SessionService,
  sameOrigin,
  sessionCookie,
  type TokenSource,
  withoutAccessToken,
  withoutCookie,
} from './gateway-request';
import { type ProxyTarget, proxyHttp, proxyUpgrade } from './http-proxy';

export interface SessionGatewayOptions {
  dataDir: string;
  /** Validates the JWT (the embedded issuer's OIDC identity in `volundr up`). */
  identity: Identity;
  authorization: Authorization;
  /**
   * Asked before a service of another user's session is opened (an admin on Alice's terminal),
   * where that access is audited (the API's `sessions.openService`); a refusal is passed on.
   * An allowed answer holds for `othersAccessTtlMs` per user, session and service. Absent: the
   * gateway's own check decides alone.
   */
  openForOther?: (request: {
    token: string;
    principal: Principal;
    sessionId: string;
    service: SessionService;
  }) => Promise<GatewayRefusal | null>;
  /** Default 60 s. */
  othersAccessTtlMs?: number;
  logger?: Logger;
}

export interface SessionGateway {
  /** Handles `/s/…` requests and returns true; returns false for any other path. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Handles `/s/…` upgrades (WebSockets) and returns true; returns false for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

export type GatewayRefusal = { status: 401 | 403 | 404 | 502 | 503; code: string; message: string };
type Refusal = GatewayRefusal;
type Admitted = {
  route: RouteFile;
  service: ServiceRecord | null;
  principal: Principal;
  token: string;
  source: TokenSource;
};

const SERVICE_ROLE: Record<SessionService, ServiceRecord['role']> = {
  chat: 'broker',
  api: 'broker',
  terminal: 'terminal',
  ide: 'ide',
};
const SERVICE_LABEL: Record<SessionService, string> = { chat: 'chat', api: 'API', terminal: 'terminal', ide: 'IDE' };

export function createSessionGateway(options: SessionGatewayOptions): SessionGateway {
  const log = (options.logger ?? silentLogger).child({ component: 'session-gateway' });
  const chatRefusals = new WebSocketServer({ noServer: true });
  const othersAccessTtlMs = options.othersAccessTtlMs ?? 60_000;
  /** `user\0session\0service` → until when another user's access needs no new answer. */
  const openedForOthers = new Map<string, number>();

  async function openForOther(principal: Principal, token: string, sessionId: string, service: SessionService) {
    if (!options.openForOther) return null;
    const key = `${principal.userId}\0${sessionId}\0${service}`;
    const now = Date.now();
    if ((openedForOthers.get(key) ?? 0) > now) return null;
    const refusal = await options.openForOther({ token, principal, sessionId, service });
    if (refusal) return refusal;
    if (openedForOthers.size >= 10_000) openedForOthers.clear();
    openedForOthers.set(key, now + othersAccessTtlMs);
    return null;
  }

  /** Who is asking, and may they use this service of this session? */
  async function admit(
    req: IncomingMessage,
    url: URL,
    sessionId: string,
    service: SessionService,
  ): Promise<Admitted | Refusal> {
    const found = findToken(req.headers, url);
    if (!found) {
      return {
        status: 401,
        code: 'UNAUTHENTICATED',
        message:
          'Sign in first: session endpoints need a bearer token (Authorization header, access_token parameter, or the session cookie).',
      };
    }
    let principal: Principal | null;
    try {
      principal = await options.identity.authenticate({
        authorization: `Bearer ${found.token}`,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
        ),
        remoteAddress: req.socket.remoteAddress,
      });
    } catch (error) {
      if (isDomainError(error) && error.code === 'UNAUTHENTICATED') {
        return { status: 401, code: 'UNAUTHENTICATED', message: `The token was refused: ${error.message}` };
      }
      if (isDomainError(error) && error.code === 'DEPENDENCY_UNAVAILABLE') {
        return {
          status: 503,
          code: 'DEPENDENCY_UNAVAILABLE',
          message: `Cannot check the token right now: ${error.message}`,
        };
      }
      throw error;
    }
    if (!principal) return { status: 401, code: 'UNAUTHENTICATED', message: 'No bearer token was presented.' };

    const notFound: Refusal = { status: 404, code: 'SESSION_NOT_FOUND', message: `No session ${sessionId}.` };
    let route: RouteFile | null;
    try {
      safePathSegment('session id', sessionId);
      route = await readSessionRoute(options.dataDir, sessionId);
    } catch (error) {
      if (isDomainError(error)) return notFound;
      log.error({ sessionId, err: error }, 'unreadable route file');
      return {
        status: 502,
        code: 'DEPENDENCY_UNAVAILABLE',
        message: `The runtime record of session ${sessionId} cannot be read.`,
      };
    }
    // Another tenant's session, or one the principal may not even read, does not exist for them.
    if (!route || route.tenantId !== principal.tenantId) return notFound;
    const resource = {
      kind: 'session' as const,
      id: route.sessionId,
      ownerId: route.ownerId,
      tenantId: route.tenantId,
    };
    if (!(await options.authorization.check(principal, 'read', resource)).allowed) return notFound;
    // A terminal or an IDE runs any command in the workspace: the same power as driving the agent.
    // The broker's HTTP API only reads (the session's diffs): `read` is enough there.
    if (service !== 'api' && !(await options.authorization.check(principal, 'chat', resource)).allowed) {
      return {
        status: 403,
        code: 'FORBIDDEN',
        message: `You may see session ${sessionId} but not use its ${SERVICE_LABEL[service]}: that takes the right to work in it (its owner or a tenant admin).`,
      };
    }
    if (principal.userId !== route.ownerId) {
      const refusal = await openForOther(principal, found.token, route.sessionId, service);
      if (refusal) return refusal;
    }
    if (route.phase !== 'running') {
      const state = route.phase === 'provisioning' ? 'still starting' : route.phase;
      return { status: 503, code: 'SESSION_NOT_RUNNING', message: `Session ${sessionId} is not running (${state}).` };
    }
    const record = route.services.find((s) => s.role === SERVICE_ROLE[service] && s.port !== null) ?? null;
    if (!record && service !== 'ide') {
      return {
        status: 503,
        code: 'SESSION_NOT_RUNNING',
        message: `Session ${sessionId} has no ${SERVICE_LABEL[service]} running.`,
      };
    }
    return { route, service: record, principal, token: found.token, source: found.source };
  }

  /** Where the request goes and which credentials travel with it. */
  async function targetOf(
    admitted: Admitted,
    service: SessionService,
    url: URL,
    prefix: string,
    req: IncomingMessage,
  ): Promise<ProxyTarget> {
    const port = admitted.service!.port!;
    const cookie = withoutCookie(
      typeof req.headers.cookie === 'string' ? req.headers.cookie : undefined,
      SESSION_COOKIE,
    );
    const remove = ['cookie', 'authorization'];
    const set: Record<string, string> = cookie ? { cookie } : {};
    let path: string;
    if (service === 'chat') {
      // The broker checks the token itself (defence in depth), so it gets it as a header. It
      // answers at /ws/chat (the prefixed form needs the id exactly as the broker spells it).
      path = `/ws/chat${url.search}`;
      set.authorization = `Bearer ${admitted.token}`;
    } else if (service === 'api') {
      // `/s/<id>/api/…` → the broker's `/api/…`; the token travels as a header, never in the URL.
      path = `/api${withoutAccessToken(url).slice(prefix.length)}`;
      set.authorization = `Bearer ${admitted.token}`;
    } else if (service === 'terminal') {
      path = withoutAccessToken(url);
      const credential = admitted.route.credentialFile
        ? (await readFile(admitted.route.credentialFile, 'utf8')).trim()
        : null;
      if (credential) set.authorization = `Basic ${Buffer.from(credential, 'utf8').toString('base64')}`;
    } else {
      // code-server has no base path: it serves relative URLs below the stripped prefix.
      const stripped = withoutAccessToken(url).slice(prefix.length);
      path = stripped.startsWith('/') ? stripped : `/${stripped}`;
    }
    return { host: '127.0.0.1', port, path, headers: { remove, set } };
  }

  const json = (res: ServerResponse, refusal: Refusal) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(refusal.status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...(refusal.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
    });
    res.end(JSON.stringify({ error: { code: refusal.code, message: refusal.message } }));
  };

  const isRefusal = (value: Admitted | Refusal): value is Refusal => 'status' in value;

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL) {
    const parsed = parseSessionPath(url.pathname);
    if (parsed.kind === 'none') return;
    if (parsed.kind === 'unknown')
      return json(res, { status: 404, code: 'NOT_FOUND', message: `Not found: ${parsed.reason}.` });
    if (parsed.kind === 'ide-slash') {
      res.writeHead(301, { location: `${url.pathname}/${url.search}` });
      return void res.end();
    }
    const { service, sessionId, prefix } = parsed;
    const admitted = await admit(req, url, sessionId, service);
    if (isRefusal(admitted)) return json(res, admitted);

    // A page loaded with ?access_token= (an iframe cannot send headers): move the token into the
    // session cookie and reload without it, so it stays out of the page's URL and history.
    const framed = service === 'terminal' || service === 'ide';
    if (admitted.source === 'query' && framed && (req.method === 'GET' || req.method === 'HEAD')) {
      const secure = req.headers['x-forwarded-proto'] === 'https';
      res.writeHead(303, {
        location: withoutAccessToken(url),
        'set-cookie': sessionCookie(prefix.slice(0, prefix.lastIndexOf('/')), admitted.token, { secure }),
        'cache-control': 'no-store',
      });
      return void res.end();
    }
    if (service === 'ide' && !admitted.service) {
      const index = url.pathname === `${prefix}/`;
      res.writeHead(index ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(ideInstallHintPage());
    }
    proxyHttp(req, res, await targetOf(admitted, service, url, prefix, req));
  }

  function refuseUpgrade(socket: Duplex, refusal: Refusal) {
    const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
    const reason = {
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      502: 'Bad Gateway',
      503: 'Service Unavailable',
    }[refusal.status];
    socket.end(
      `HTTP/1.1 ${refusal.status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  }

  /**
   * Chat clients learn why they were refused from the WebSocket close code (browsers cannot read
   * an upgrade's HTTP status), exactly as the broker itself refuses: 4401, 4403, or 1013 (retry).
   */
  function refuseChat(req: IncomingMessage, socket: Duplex, head: Buffer, refusal: Refusal) {
    const code =
      refusal.status === 401
        ? chatCloseCodes.unauthenticated
        : refusal.status === 403 || refusal.status === 404
          ? chatCloseCodes.forbidden
          : 1013;
    if (socket.destroyed) return;
    chatRefusals.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => {});
      ws.close(
        code,
        Buffer.from(refusal.message)
          .subarray(0, 120)
          .toString('utf8')
          .replace(/\uFFFD+$/, ''),
      );
    });
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) {
    const parsed = parseSessionPath(url.pathname);
    if (parsed.kind !== 'service' || parsed.service === 'api') {
      return refuseUpgrade(socket, { status: 404, code: 'NOT_FOUND', message: 'No WebSocket here.' });
    }
    const { service, sessionId, prefix } = parsed;
    const admitted = await admit(req, url, sessionId, service);
    if (!isRefusal(admitted) && admitted.source === 'cookie' && !sameOrigin(req.headers)) {
      const refusal: Refusal = { status: 403, code: 'FORBIDDEN', message: 'Cross-origin WebSocket refused.' };
      return service === 'chat' ? refuseChat(req, socket, head, refusal) : refuseUpgrade(socket, refusal);
    }
    if (isRefusal(admitted) || !admitted.service) {
      const refusal = isRefusal(admitted)
        ? admitted
        : ({ status: 503, code: 'SESSION_NOT_RUNNING', message: `Session ${sessionId} has no IDE running.` } as const);
      return service === 'chat' ? refuseChat(req, socket, head, refusal) : refuseUpgrade(socket, refusal);
    }
    proxyUpgrade(req, socket, head, await targetOf(admitted, service, url, prefix, req));
  }

  const urlOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://gateway.local');

  return {
    handleRequest(req, res) {
      let url: URL;
      try {
        url = urlOf(req);
      } catch {
        return false;
      }
      if (parseSessionPath(url.pathname).kind === 'none') return false;
      serve(req, res, url).catch((error: unknown) => {
        log.error({ err: error, path: url.pathname }, 'session gateway request failed');
        json(res, {
          status: 502,
          code: 'DEPENDENCY_UNAVAILABLE',
          message: 'The session gateway could not serve this request.',
        });
      });
      return true;
    },
    handleUpgrade(req, socket, head) {
      let url: URL;
      try {
        url = urlOf(req);
      } catch {
        return false;
      }
      if (parseSessionPath(url.pathname).kind === 'none') return false;
      socket.on('error', () => socket.destroy());
      upgrade(req, socket, head, url).catch((error: unknown) => {
        log.error({ err: error, path: url.pathname }, 'session gateway upgrade failed');
        if (!socket.destroyed)
          refuseUpgrade(socket, {
            status: 502,
            code: 'DEPENDENCY_UNAVAILABLE',
            message: 'The session gateway failed.',
          });
      });
      return true;
    },
  };
}
