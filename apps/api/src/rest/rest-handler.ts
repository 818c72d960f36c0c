import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AnyRouter, getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { ApiError } from '@volundr/contracts/errors';
import { isDomainError } from '@volundr/core/errors';
import type { AppServices } from '../composition/app-services';
import { authenticateRequest } from '../http/authenticate';
import { readJsonBody } from '../http/read-body';
import { sendError, sendJson } from '../http/respond';
import type { Route } from '../http/server';
import type { AppLogger } from '../logger';
import { createContextInner } from '../trpc/context';
import { toApiError, trpcCodeOfKind } from '../trpc/errors';
import { createCallerFactory } from '../trpc/trpc';
import { queryToInput } from './query-input';
import type { RestRoute } from './rest-route';

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  params: string[];
}

export const REST_PREFIX = '/api/v1';

function compile(route: RestRoute): CompiledRoute {
  const params: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source.replace(/\\\{|\\\}/g, '')}$`), params };
}

/** Walks the caller proxy by a dotted procedure path (`sessions.byId`). */
function procedureOf(caller: unknown, path: string): (input: unknown) => Promise<unknown> {
  let node = caller as Record<string, unknown>;
  for (const part of path.split('.')) node = node[part] as Record<string, unknown>;
  return node as unknown as (input: unknown) => Promise<unknown>;
}

function statusAndBody(error: unknown, requestId: string): { status: number; body: ApiError; retryAfter?: string } {
  const trpcError = isDomainError(error)
    ? new TRPCError({ code: trpcCodeOfKind[error.kind], message: error.message, cause: error })
    : getTRPCErrorFromUnknown(error);
  const body = toApiError(trpcError, requestId);
  const status = body.code === 'VALIDATION_FAILED' ? 422 : getHTTPStatusCodeFromError(trpcError);
  return { status, body, ...(status === 503 ? { retryAfter: '5' } : {}) };
}

/** The REST + SSE facade: the same procedures as /trpc, addressed as resources. */
export function createRestRoute(options: {
  router: AnyRouter;
  routes: RestRoute[];
  services: () => AppServices | null;
  openApi: () => unknown;
}): Route {
  const compiled = options.routes.map(compile);
  const createCaller = createCallerFactory(options.router);

  return {
    prefix: `${REST_PREFIX}/`,
    async handle(
      req: IncomingMessage,
      res: ServerResponse,
      { requestId, logger }: { requestId: string; logger: AppLogger },
    ) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname.slice(REST_PREFIX.length).replace(/\/$/, '') || '/';
      if (path === '/openapi.json' && req.method === 'GET') return sendJson(res, 200, options.openApi());
      const services = options.services();
      if (!services) {
        return sendError(
          res,
          503,
          { code: 'DEPENDENCY_UNAVAILABLE', message: 'The API is starting; retry in a moment.', requestId },
          { 'retry-after': '1' },
        );
      }
      const candidates = compiled.filter((c) => c.pattern.test(path));
      const match = candidates.find((c) => c.route.method === req.method);
      if (!match) {
        if (candidates.length > 0) {
          const allow = candidates.map((c) => c.route.method).join(', ');
          return sendError(
            res,
            405,
            {
              code: 'BAD_REQUEST',
              message: `${req.method} is not allowed on ${REST_PREFIX}${path} (allowed: ${allow})`,
              requestId,
            },
            { allow },
          );
        }
        return sendError(res, 404, {
          code: 'NOT_FOUND',
          message: `No endpoint ${req.method} ${REST_PREFIX}${path}`,
          requestId,
        });
      }
      try {
        const values = match.pattern.exec(path)!.slice(1);
        const params = Object.fromEntries(match.params.map((name, i) => [name, decodeURIComponent(values[i]!)]));
        const body =
          req.method === 'GET' || req.method === 'DELETE'
            ? await readJsonBody(req).catch(() => undefined)
            : await readJsonBody(req);
        const input = match.route.input
          ? match.route.input({ params, query: url.searchParams, body, headers: req.headers })
          : defaultInput(req.method ?? 'GET', params, url.searchParams, body);
        const principal = await authenticateRequest(req, services);
        // Aborted when the client goes away first: subscriptions end, their database reads stop.
        // A response that was sent in full has nothing left to abort (and an abort costs a
        // DOMException and its listeners, on every request).
        const gone = new AbortController();
        res.once('close', () => {
          if (!res.writableFinished) gone.abort();
        });
        const caller = createCaller(createContextInner({ services, principal, requestId, logger }), {
          signal: gone.signal,
        });
        const result = await procedureOf(caller, match.route.procedure)(input);
        if (match.route.stream) return streamEvents(res, result as AsyncIterable<unknown>, requestId, logger);
        if (result === undefined || match.route.status === 204) {
          res.writeHead(204, { 'x-request-id': requestId });
          return res.end();
        }
        return sendJson(res, match.route.status ?? 200, result);
      } catch (error) {
        const { status, body, retryAfter } = statusAndBody(error, requestId);
        if (status >= 500 && status !== 503) logger.error({ err: error, path }, 'REST request failed');
        return sendError(res, status, body, retryAfter ? { 'retry-after': retryAfter } : {});
      }
    },
  };
}

function defaultInput(method: string, params: Record<string, string>, query: URLSearchParams, body: unknown): unknown {
  const bodyless = method === 'GET' || method === 'DELETE';
  const fromQuery = bodyless && [...query.keys()].length > 0 ? queryToInput(query) : undefined;
  const base = bodyless
    ? fromQuery || isRecord(body)
      ? { ...fromQuery, ...(isRecord(body) ? body : {}) }
      : undefined
    : body;
  if (Object.keys(params).length === 0) return base;
  return { ...(isRecord(base) ? base : {}), ...params };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An event streamed to many subscribers is the same object for all: serialize it once. */
const serialized = new WeakMap<object, string>();
const toJson = (data: unknown): string => {
  if (!isRecord(data)) return JSON.stringify(data);
  let json = serialized.get(data);
  if (json === undefined) {
    json = JSON.stringify(data);
    serialized.set(data, json);
  }
  return json;
};

/**
 * Writes a subscription as Server-Sent Events; `id:` lets clients resume with Last-Event-ID.
 * A client that reads slowly holds the stream back (writes wait for `drain`), so events wait
 * in the database rather than in this process's memory.
 */
async function streamEvents(
  res: ServerResponse,
  events: AsyncIterable<unknown>,
  requestId: string,
  logger: AppLogger,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': connected\n\n');
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const iterator = events[Symbol.asyncIterator]();
  // `res` closes when the client goes away (a request's own 'close' fires once its body is read).
  const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
  closed.then(() => iterator.return?.());
  const drained = () => Promise.race([new Promise<void>((resolve) => res.once('drain', () => resolve())), closed]);
  // Events that come in a burst (a subscriber catching up, a transition's several events) go
  // out as one socket write: cork on the first, uncork once this turn of the event loop is over.
  let corked = false;
  const send = (chunk: string) => {
    if (!corked) {
      corked = true;
      res.cork();
      setImmediate(() => {
        corked = false;
        res.uncork();
      });
    }
    return res.write(chunk);
  };
  try {
    for (;;) {
      // No race with `closed` here: one would leave a reaction on it per event for the life of
      // the stream. Closing aborts the subscription's signal, which ends the iterator.
      const next = await iterator.next();
      if (next.done || res.destroyed) break;
      const { id, data } = unwrapTracked(next.value);
      const type = isRecord(data) && typeof data.type === 'string' ? data.type : 'message';
      const flushed = send(`${id !== undefined ? `id: ${id}\n` : ''}event: ${type}\ndata: ${toJson(data)}\n\n`);
      if (!flushed) await drained();
    }
  } catch (error) {
    // Headers are gone already: the failure becomes the stream's last event.
    const { status, body } = statusAndBody(error, requestId);
    if (status >= 500) logger.error({ err: error }, 'event stream failed');
    if (!res.destroyed) res.write(`event: error\ndata: ${JSON.stringify({ error: body })}\n\n`);
  } finally {
    clearInterval(heartbeat);
    res.end();
  }
}

/** tRPC's `tracked(id, data)` yields `[id, data, symbol]`; plain values pass through. */
function unwrapTracked(value: unknown): { id?: string; data: unknown } {
  if (Array.isArray(value) && value.length === 3 && typeof value[2] === 'symbol')
    return { id: String(value[0]), data: value[1] };
  return { data: value };
}
