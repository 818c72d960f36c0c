/**
 * The broker's HTTP face: `GET /healthz`, `GET /readyz`, the HTTP API under `/api/` (the
 * session's diffs, `diff-routes.ts`) and the chat WebSocket at `/ws/chat` (also
 * `/s/<sessionId>/…`, for a gateway that does not strip its prefix). The WebSocket is
 * accepted before authentication so that refusals can carry the protocol's close codes
 * (4401/4403), which browsers can read, unlike an HTTP status.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { chatCloseCodes, MAX_CHAT_FRAME_BYTES, ZClientFrame } from '@volundr/contracts/chat';
import type { Principal } from '@volundr/contracts/principal';
import type { Logger } from '@volundr/core/shared/ports/logger';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ConnectionDecision } from '../auth/authorize-connection';
import type { Conversation } from '../broker/conversation';
import type { EventHub } from '../broker/event-hub';
import type { DiffRoutes } from './diff-routes';

export interface ChatServerOptions {
  host: string;
  port: number;
  sessionId: string;
  hub: EventHub;
  conversation: Conversation;
  authorize: (request: IncomingMessage, url: URL) => Promise<ConnectionDecision>;
  readiness: () => Promise<{ ok: true } | { ok: false; reason: string }>;
  /** The HTTP API (`/api/…`); absent: those paths are 404. */
  api?: DiffRoutes;
  /** Called with the number of accepted chat connections whenever it changes. */
  onConnectionsChanged?: (count: number) => void;
  logger: Logger;
}

export interface ChatServer {
  listen(): Promise<number>;
  /** Closes every chat connection with `code` and stops listening. */
  close(code?: number, reason?: string): Promise<void>;
}

/** Close reasons are limited to 123 bytes by the protocol. */
const reasonText = (text: string) =>
  Buffer.from(text)
    .subarray(0, 120)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');

export function createChatServer(options: ChatServerOptions): ChatServer {
  const { hub, conversation, logger } = options;
  const prefix = `/s/${options.sessionId}`;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CHAT_FRAME_BYTES });
  let connectionCounter = 0;
  let accepted = 0;
  const countConnections = (delta: number) => {
    accepted += delta;
    options.onConnectionsChanged?.(accepted);
  };

  const routeOf = (pathname: string) => (pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length) : pathname);

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://broker');
    } catch {
      return json(res, 400, { code: 'BAD_REQUEST', message: 'the request target is not a valid URL' });
    }
    const route = routeOf(url.pathname);
    if (options.api?.owns(route)) return options.api.handle(req, res, url, route);
    if (route !== '/healthz' && route !== '/readyz')
      return json(res, 404, { code: 'NOT_FOUND', message: 'no such path' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return json(res, 405, { code: 'BAD_REQUEST', message: `${req.method} is not allowed here` });
    }
    if (route === '/healthz') return json(res, 200, { status: 'ok' });
    options
      .readiness()
      .then((ready) =>
        ready.ok ? json(res, 200, { status: 'ready' }) : json(res, 503, { status: 'not_ready', reason: ready.reason }),
      )
      .catch((error: unknown) => json(res, 503, { status: 'not_ready', reason: (error as Error).message }));
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://broker');
    if (routeOf(url.pathname) !== '/ws/chat') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const connectionId = ++connectionCounter;
    const log = logger.child({ connectionId });
    options
      .authorize(req, url)
      .catch((error: unknown): ConnectionDecision => {
        log.error({ error: (error as Error).message }, 'authorizing a chat connection failed');
        return { ok: false, status: 'unavailable', reason: 'authorization failed' };
      })
      .then((decision) => {
        if (socket.destroyed) return;
        wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('error', (error) => log.debug({ error: error.message }, 'chat socket error'));
          if (!decision.ok) {
            log.info({ status: decision.status, reason: decision.reason }, 'chat connection refused');
            const code =
              decision.status === 'unauthenticated'
                ? chatCloseCodes.unauthenticated
                : decision.status === 'forbidden'
                  ? chatCloseCodes.forbidden
                  : 1013; // try again later: the identity provider is unreachable
            ws.close(code, reasonText(decision.reason));
            return;
          }
          accept(ws, url, decision.principal, log);
        });
      });
  });

  const accept = (ws: WebSocket, url: URL, principal: Principal, log: Logger) => {
    log.info({ userId: principal.userId }, 'chat client connected');
    const afterParam = url.searchParams.get('after');
    const after = afterParam === null ? 0 : Number(afterParam);
    if (!Number.isSafeInteger(after) || after < 0 || (afterParam !== null && !/^\d+$/.test(afterParam))) {
      hub.reply(ws, { type: 'error', code: 'bad_request', message: 'after must be a non-negative integer' });
      ws.close(1008, 'invalid after');
      return;
    }
    countConnections(1);
    const origin = { principal, reply: (body: Parameters<EventHub['reply']>[1]) => hub.reply(ws, body) };
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        origin.reply({ type: 'error', code: 'bad_request', message: 'binary frames are not accepted; send JSON text' });
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        origin.reply({ type: 'error', code: 'bad_request', message: 'frame is not valid JSON' });
        return;
      }
      const frame = ZClientFrame.safeParse(json);
      if (!frame.success) {
        const issues = frame.error.issues
          .slice(0, 3)
          .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'frame'}: ${issue.message}`);
        origin.reply({ type: 'error', code: 'bad_request', message: `invalid frame: ${issues.join('; ')}` });
        return;
      }
      try {
        conversation.handle(frame.data, origin);
      } catch (error) {
        log.error({ error: (error as Error).message, type: frame.data.type }, 'handling a frame failed');
        origin.reply({ type: 'error', code: 'internal', message: 'the broker could not handle this frame' });
      }
    });
    ws.on('close', (code) => {
      countConnections(-1);
      hub.detach(ws);
      log.info({ code }, 'chat client disconnected');
    });
    hub.attach(ws, after, conversation.readyEvent).catch((error: unknown) => {
      log.error({ error: (error as Error).message }, 'replaying the log failed');
      ws.close(1011, 'replay failed');
    });
  };

  return {
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    async close(code = 1001, reason = 'broker stopping') {
      const closed = [...wss.clients].map(
        (client) =>
          new Promise<void>((resolve) =>
            client.readyState === client.CLOSED ? resolve() : client.once('close', () => resolve()),
          ),
      );
      hub.closeAll(code, reason);
      // Give clients a moment to answer the close frame, so they see the code, then cut the rest.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
      clearTimeout(timer);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
