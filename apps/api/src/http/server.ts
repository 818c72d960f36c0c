import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AppLogger } from '../logger';
import { requestIdOf } from './request-id';
import { sendError, sendJson } from './respond';

/** A handler for every path under `prefix`; returns false to let the next route try. */
export interface Route {
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, ctx: { requestId: string; logger: AppLogger }): unknown;
}

export interface ReadinessCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

export interface HttpServerOptions {
  logger: AppLogger;
  routes: Route[];
  readiness: ReadinessCheck[];
  /** Called for every finished request (metrics). */
  onRequestFinished?: (info: { route: string; path: string; method: string; status: number; seconds: number }) => void;
  /** Called when a request arrives (in-flight and live-subscriber gauges). */
  onRequestStarted?: (info: { path: string; method: string }) => void;
}

export interface HttpServer {
  server: Server;
  /** Stop accepting, let in-flight requests finish within `timeoutMs`, then cut what is left. */
  drain(timeoutMs: number): Promise<void>;
}

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { logger } = options;
  let inFlight = 0;
  let draining = false;
  const idle: Array<() => void> = [];

  const server = createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = options.routes.find((r) => path === r.prefix.replace(/\/$/, '') || path.startsWith(r.prefix));
    const routeLabel = path === '/healthz' || path === '/readyz' ? path : (route?.prefix ?? 'unmatched');
    res.setHeader('x-request-id', requestId);
    inFlight += 1;
    options.onRequestStarted?.({ path, method: req.method ?? 'GET' });
    res.on('close', () => {
      inFlight -= 1;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      options.onRequestFinished?.({
        route: routeLabel,
        path,
        method: req.method ?? 'GET',
        status: res.statusCode,
        seconds,
      });
      const line = { requestId, method: req.method, path, status: res.statusCode, ms: Math.round(seconds * 1000) };
      if (QUIET_PATHS.has(path)) logger.debug(line, 'request');
      else logger.info(line, 'request');
      if (inFlight === 0) for (const resolve of idle.splice(0)) resolve();
    });

    try {
      if (draining) {
        res.setHeader('connection', 'close');
      }
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        if (draining) return sendJson(res, 503, { status: 'draining', checks: [] });
        const checks = await Promise.all(
          options.readiness.map(async (c) => {
            try {
              return { name: c.name, ...(await c.check()) };
            } catch (error) {
              return { name: c.name, ok: false, detail: error instanceof Error ? error.message : String(error) };
            }
          }),
        );
        const ok = checks.every((c) => c.ok);
        return sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', checks });
      }
      if (route) {
        await route.handle(req, res, { requestId, logger: logger.child({ requestId }) });
        return;
      }
      sendError(res, 404, { code: 'NOT_FOUND', message: `No route for ${req.method} ${path}`, requestId });
    } catch (error) {
      logger.error({ err: error, requestId, path }, 'unhandled error in request');
      if (!res.headersSent) {
        sendError(res, 500, {
          code: 'INTERNAL',
          message: 'Internal error; it has been logged with the request id.',
          requestId,
        });
      } else {
        res.destroy();
      }
    }
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;

  return {
    server,
    async drain(timeoutMs) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const finished = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([finished.then(() => 'done' as const), timeout]);
      if (outcome === 'timeout') logger.warn({ inFlight }, 'shutdown timeout: cutting remaining connections');
      server.closeAllConnections();
      clearTimeout(timer);
      await closed;
    },
  };
}
