import type { GatewayRoute, SessionEndpoints } from '@volundr/contracts/session-spec';
import type { SessionOwnerRef } from './storage';

export interface SessionRoutes {
  routes: GatewayRoute[];
  endpoints: SessionEndpoints;
}

/** How a browser reaches a session's services (local proxy; Gateway API HTTPRoute). */
export interface Gateway {
  /** Creates or updates the session's routes (idempotent) and says where the services are. */
  ensureRoutes(session: SessionOwnerRef & { name: string }): Promise<SessionRoutes>;
  /** Removes the session's routes; missing routes are not an error. */
  removeRoutes(sessionId: string): Promise<void>;
}
