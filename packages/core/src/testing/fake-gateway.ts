import type { Gateway } from '../sessions/ports/gateway';

/** Test double of Gateway: same-origin `/s/<id>/...` routes to the Core services. */
export function fakeGateway(): Gateway & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async ensureRoutes({ sessionId }) {
      calls.push(`ensureRoutes:${sessionId}`);
      const base = `/s/${sessionId}`;
      return {
        routes: [
          { name: 'chat', pathPrefix: `${base}/ws/chat`, container: 'skuld', port: 'http', websocket: true },
          { name: 'terminal', pathPrefix: `${base}/terminal/`, container: 'terminal', port: 'http', websocket: true },
          { name: 'ide', pathPrefix: `${base}/ide/`, container: 'ide', port: 'http', websocket: true },
        ],
        endpoints: { chat: `${base}/ws/chat`, code: `${base}/ide/`, terminal: `${base}/terminal/` },
      };
    },
    async removeRoutes(sessionId) {
      calls.push(`removeRoutes:${sessionId}`);
    },
  };
}
