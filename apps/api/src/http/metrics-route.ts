import type { Registry } from 'prom-client';
import { sendError } from './respond';
import type { Route } from './server';

/**
 * `GET /metrics`: the registry in Prometheus text format. Unauthenticated like `/healthz` (it
 * holds counts, never names or ids); scrape it from inside the cluster, or turn it off with
 * `metrics.enabled: false`.
 */
export function createMetricsRoute(registry: Registry): Route {
  return {
    prefix: '/metrics',
    async handle(req, res, { requestId, logger }) {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/metrics') {
        return sendError(res, 404, { code: 'NOT_FOUND', message: `No route for ${req.method} ${path}`, requestId });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        return sendError(res, 405, { code: 'BAD_REQUEST', message: 'Use GET /metrics', requestId });
      }
      let body: string;
      try {
        body = await registry.metrics();
      } catch (error) {
        logger.error({ err: error }, 'collecting metrics failed');
        return sendError(res, 503, {
          code: 'DEPENDENCY_UNAVAILABLE',
          message: 'Metrics could not be collected right now (the database did not answer); try the next scrape.',
          requestId,
        });
      }
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
