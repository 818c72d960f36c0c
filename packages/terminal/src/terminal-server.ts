import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { basicAuthMatches } from './basic-auth';
import type { TerminalConfig } from './config';
import { createHttpRoutes, requestPath } from './http-routes';
import { prepareRunAs } from './run-as';
import { shellEnv } from './shell-env';
import { loadStaticAssets } from './static-assets';
import { MAX_INPUT_FRAME_BYTES, type ShellSpec, TerminalConnection } from './terminal-connection';
import { credentialToken, TTYD_SUBPROTOCOL } from './ttyd-protocol';

export interface TerminalServer {
  host: string;
  port: number;
  /** Open connections (with or without a running shell). */
  connectionCount(): number;
  /** Closes every connection (1001), ends the shells, stops listening. */
  close(): Promise<void>;
}

/** Refuses an upgrade with a plain HTTP response, as a server that never upgraded. */
function refuseUpgrade(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  const lines = [`HTTP/1.1 ${status} ${message}`, 'Connection: close', 'Content-Type: text/plain; charset=utf-8'];
  for (const [key, value] of Object.entries(headers)) lines.push(`${key}: ${value}`);
  const body = `${message}\n`;
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** -O: the Origin's host must be the Host the client asked for (ttyd's check_origin). */
function originMatches(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * The terminal server: ttyd's HTTP routes and WebSocket endpoint under the configured base
 * path, one shell per WebSocket connection. Resolves once it listens.
 */
export async function startTerminalServer(config: TerminalConfig, logger: Logger): Promise<TerminalServer> {
  const stat = statSync(config.cwd, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) throw new Error(`the working directory ${config.cwd} does not exist or is not a directory`);
  const runAs = prepareRunAs(config.uid, config.gid);
  const token = config.credential === undefined ? undefined : credentialToken(config.credential);
  const spec: ShellSpec = {
    command: config.command,
    cwd: config.cwd,
    env: shellEnv(process.env, config.env, config.terminalType),
    terminalType: config.terminalType,
    runAs,
    signal: config.signal,
    writable: config.writable,
    title: `${config.command.join(' ')} (${hostname()})`,
    preferences: JSON.stringify(config.clientOptions),
    token,
  };
  const wsPath = `${config.basePath}/ws`;

  const server = createServer(
    createHttpRoutes({ basePath: config.basePath, token, assets: loadStaticAssets(), logger }),
  );
  const wss = new WebSocketServer({
    noServer: true,
    // Larger than the per-frame input limit so an oversize frame is ignored by the connection
    // (and the shell keeps running) rather than killing the socket; beyond this ws closes 1009.
    maxPayload: 4 * MAX_INPUT_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has(TTYD_SUBPROTOCOL) ? TTYD_SUBPROTOCOL : false),
  });
  const connections = new Set<TerminalConnection>();
  const alive = new WeakMap<object, boolean>();

  server.on('upgrade', (req, socket, head) => {
    const target = requestPath(req);
    const remote = req.socket.remoteAddress;
    if (!target || target.pathname !== wsPath) return refuseUpgrade(socket, 404, 'Not Found');
    if (token !== undefined && !basicAuthMatches(req.headers.authorization, token)) {
      logger.info({ remote }, 'websocket upgrade without valid credentials');
      return refuseUpgrade(socket, 401, 'Unauthorized', { 'WWW-Authenticate': 'Basic realm="ttyd"' });
    }
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!protocols.includes(TTYD_SUBPROTOCOL)) {
      logger.info({ remote, protocols }, 'websocket upgrade without the "tty" subprotocol');
      return refuseUpgrade(socket, 400, 'Bad Request: subprotocol "tty" required');
    }
    if (config.checkOrigin && !originMatches(req)) {
      logger.info({ remote, origin: req.headers.origin }, 'websocket upgrade from another origin');
      return refuseUpgrade(socket, 403, 'Forbidden: origin not allowed');
    }
    if (config.maxClients > 0 && connections.size >= config.maxClients) {
      return refuseUpgrade(socket, 503, 'Service Unavailable: too many clients');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connectionId = randomUUID();
      const connection = new TerminalConnection(ws, spec, logger.child({ connectionId, remote }));
      connections.add(connection);
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      ws.on('close', () => connections.delete(connection));
      logger.info({ connectionId, remote, clients: connections.size }, 'websocket connected');
    });
  });

  // ttyd pings every 5 s by default; a peer that misses a whole interval is gone.
  const pinger =
    config.pingIntervalSeconds > 0
      ? setInterval(() => {
          for (const ws of wss.clients) {
            if (alive.get(ws) === false) {
              logger.info('terminating a websocket that stopped answering pings');
              ws.terminate();
              continue;
            }
            alive.set(ws, false);
            ws.ping();
          }
        }, config.pingIntervalSeconds * 1000)
      : null;
  pinger?.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'http server error'));
  const address = server.address() as AddressInfo;

  return {
    host: address.address,
    port: address.port,
    connectionCount: () => connections.size,
    async close() {
      if (pinger) clearInterval(pinger);
      for (const connection of connections) connection.shutdown();
      await new Promise<void>((resolve) => {
        wss.close(() => resolve());
      });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
