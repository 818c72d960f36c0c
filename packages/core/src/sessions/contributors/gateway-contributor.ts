import type { Gateway } from '../ports/gateway';
import type { Contributor } from '../session-context';

/** The routes that let a browser reach the session's services, and the resulting endpoints. */
export function gatewayContributor(gateway: Gateway): Contributor {
  return {
    name: 'Gateway',
    async contribute({ session }) {
      const { routes, endpoints } = await gateway.ensureRoutes({
        sessionId: session.id,
        name: session.name,
        ownerId: session.ownerId,
        tenantId: session.tenantId,
      });
      return { values: { gateway: { routes, endpoints } }, podSpec: {} };
    },
    async cleanup({ session }) {
      await gateway.removeRoutes(session.id);
    },
  };
}
