import { createServer, type Server } from 'node:http';
import { proxyHttp, proxyUpgrade } from '@volundr/adapter-local/gateway/http-proxy';
import type { SessionGateway } from '@volundr/adapter-local/gateway/session-gateway';
import { serveWebApp } from './static-files';

export interface FrontDoorOptions {
  /** Routes `/s/<id>/…` straight to the session's processes (see packages/adapters/local/src/gateway). */
  sessions: SessionGateway | null;
  /** The API's current internal port, or null while it is (re)starting. */
  apiPort(): number | null;
  webRoot: string | null;
}

const API_PREFIXES = ['/trpc', '/api/', '/oidc', '/healthz', '/readyz', '/metrics'];
const isApiPath = (path: string) => API_PREFIXES.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p));

const unavailable = {
  status: 503,
  body: JSON.stringify({
    error: { code: 'DEPENDENCY_UNAVAILABLE', message: 'The API is restarting; retry in a moment.' },
  }),
  headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' },
};

/**
 * The one origin people use (http://127.0.0.1:8080): API paths go to the API process, the web
 * app is served from its build, and session paths (`/s/<id>/…`) go straight to the session's
 * processes — so an API restart never cuts a chat or a terminal.
 */
export function createFrontDoor(options: FrontDoorOptions): Server {
  const server = createServer((req, res) => {
    if (options.sessions?.handleRequest(req, res)) return;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (isApiPath(path) || !options.webRoot) {
      const port = options.apiPort();
      if (port === null) {
        res.writeHead(unavailable.status, unavailable.headers);
        res.end(unavailable.body);
        return;
      }
      proxyHttp(req, res, { host: '127.0.0.1', port, path: req.url ?? '/' }, unavailable);
      return;
    }
    if (!serveWebApp(options.webRoot, req, res)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  });
  server.on('upgrade', (req, socket, head) => {
    if (options.sessions?.handleUpgrade(req, socket, head)) return;
    const port = options.apiPort();
    if (port === null) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\nconnection: close\r\n\r\n');
      return;
    }
    proxyUpgrade(req, socket, head, { host: '127.0.0.1', port, path: req.url ?? '/' });
  });
  return server;
}
