import type { IncomingMessage } from 'node:http';
import type { AnyRouter } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { AppServices } from '../composition/app-services';
import { createContextInner } from '../trpc/context';
import { mapDomainError } from '../trpc/errors';
import { authenticateRequest } from './authenticate';
import { sendError } from './respond';
import type { Route } from './server';

/** tRPC over HTTP at /trpc (queries, mutations, and subscriptions as SSE). */
export function createTrpcRoute(router: AnyRouter, services: () => AppServices | null): Route {
  const handler = createHTTPHandler({
    router,
    basePath: '/trpc/',
    allowMethodOverride: false,
    createContext: async ({ req }) => {
      const current = services();
      if (!current) throw new Error('services not ready');
      const principal = await authenticateRequest(req, current).catch(mapDomainError);
      const requestId = String(req.headers['x-request-id'] ?? '') || undefined;
      return createContextInner({ services: current, principal, ...(requestId ? { requestId } : {}) });
    },
  });
  return {
    prefix: '/trpc/',
    handle(req, res, { requestId }) {
      if (!services()) {
        return sendError(
          res,
          503,
          { code: 'DEPENDENCY_UNAVAILABLE', message: 'The API is starting; retry in a moment.', requestId },
          { 'retry-after': '1' },
        );
      }
      req.headers['x-request-id'] = requestId;
      // @trpc/client sends a mutation without input as a POST with no body, which the adapter
      // would fail to parse as JSON ("Unexpected end of JSON input"): give it JSON null instead.
      if (req.method === 'POST' && req.headers['content-length'] === '0')
        (req as IncomingMessage & { body?: unknown }).body = 'null';
      return handler(req, res);
    },
  };
}
