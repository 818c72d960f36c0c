import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { basicAuthMatches } from './basic-auth';
import { INDEX_CSP, indexPage } from './index-page';
import type { StaticAsset } from './static-assets';

export interface HttpRoutesOptions {
  basePath: string;
  /** base64(`user:pass`) when a credential is configured. */
  token: string | undefined;
  assets: Map<string, StaticAsset>;
  logger: Logger;
}

/** The path of a request without its query; null when the target is not a path. */
export function requestPath(req: IncomingMessage): { pathname: string; search: string } | null {
  try {
    const url = new URL(req.url ?? '', 'http://terminal.invalid');
    return { pathname: url.pathname, search: url.search };
  } catch {
    return null;
  }
}

const securityHeaders = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

function reply(res: ServerResponse, status: number, contentType: string, body: string | Buffer, extra = {}): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...securityHeaders,
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

const text = (res: ServerResponse, status: number, body: string, extra = {}) =>
  reply(res, status, 'text/plain; charset=utf-8', `${body}\n`, extra);

/**
 * ttyd's HTTP routes under the base path (`<base>/`, `<base>/token`, the page's assets; `<base>`
 * redirects to `<base>/`), plus `/healthz` outside it for supervisors. With a credential every
 * route but `/healthz` needs HTTP Basic, as in ttyd.
 */
export function createHttpRoutes(options: HttpRoutesOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { basePath, token, assets, logger } = options;
  const page = indexPage();
  return (req, res) => {
    const target = requestPath(req);
    if (!target) return text(res, 400, 'bad request target');
    const { pathname, search } = target;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return text(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });

    if (pathname === '/healthz') return reply(res, 200, 'application/json', '{"status":"ok"}');
    if (basePath !== '' && pathname === basePath) {
      res.writeHead(301, { Location: `${basePath}/${search}`, ...securityHeaders });
      return res.end();
    }
    if (!pathname.startsWith(`${basePath}/`)) return text(res, 404, 'not found');
    const route = pathname.slice(basePath.length);

    if (token !== undefined && !basicAuthMatches(req.headers.authorization, token)) {
      logger.info({ route, remote: req.socket.remoteAddress }, 'http request without valid credentials');
      return text(res, 401, 'unauthorized', { 'WWW-Authenticate': 'Basic realm="ttyd"' });
    }
    if (route === '/' || route === '/index.html') {
      return reply(res, 200, 'text/html; charset=utf-8', page, { 'Content-Security-Policy': INDEX_CSP });
    }
    if (route === '/token') return reply(res, 200, 'application/json', JSON.stringify({ token: token ?? '' }));
    if (route === '/ws')
      return text(res, 426, 'WebSocket upgrade required (subprotocol "tty")', { Upgrade: 'websocket' });
    if (route.startsWith('/assets/')) {
      const asset = assets.get(route.slice('/assets/'.length));
      if (asset) return reply(res, 200, asset.contentType, asset.body);
    }
    return text(res, 404, 'not found');
  };
}
