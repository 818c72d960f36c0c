import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { Gateway } from '@volundr/core/sessions/ports/gateway';
import { z } from 'zod';
import { localEndpoints } from './local-endpoints';
import { safePathSegment } from './runtime/session-paths';

export const ZLocalSessionRoutesOptions = z.strictObject({});

/**
 * The Gateway port in local mode. Nothing is created per session: the local gateway in the
 * front door routes `/s/<id>/…` by the session's route file, so this only says where the
 * services are (same-origin paths) and refuses ids that cannot be a path segment.
 */
export function createLocalSessionRoutes(): Gateway {
  return {
    async ensureRoutes(session) {
      safePathSegment('session id', session.sessionId);
      // No spec routes: the local gateway reads the route file, not the spec.
      return { routes: [], endpoints: localEndpoints(session.sessionId) };
    },
    async removeRoutes() {},
  };
}

/** `{ use: "@volundr/adapter-local/local-session-routes#localSessionRoutes" }` */
export const localSessionRoutes = defineAdapter({
  port: 'gateway',
  options: ZLocalSessionRoutesOptions,
  create: (): Gateway => createLocalSessionRoutes(),
});
