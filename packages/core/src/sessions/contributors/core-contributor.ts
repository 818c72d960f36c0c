import type { Container } from '@volundr/contracts/session-spec';
import type { Contributor } from '../session-context';

export interface CoreContributorOptions {
  /** Container images (Kubernetes); the local runtime runs its own processes by role. */
  images?: { broker?: string; terminal?: string; ide?: string };
  ports?: { broker?: number; terminal?: number; ide?: number };
  readinessPaths?: { broker?: string; terminal?: string; ide?: string };
  /** Add the browser IDE (code-server) service. Default true. */
  ide?: boolean;
  /** Where the broker reports usage, activity and timeline events. */
  apiUrl?: string;
}

/** The session's identity and its base services: the Skuld broker, the terminal, the IDE. */
export function coreContributor(options: CoreContributorOptions = {}): Contributor {
  const service = (
    name: string,
    role: Container['role'],
    port: number,
    image: string | undefined,
    readiness: string,
    env: { name: string; value: string }[],
  ) => ({
    name,
    role,
    ...(image ? { image } : {}),
    ports: [{ name: 'http', port }],
    readiness: { path: readiness, port: 'http' },
    env,
  });
  return {
    name: 'Core',
    async contribute({ session, launch }) {
      const brokerEnv = [
        { name: 'VOLUNDR_SESSION_ID', value: session.id },
        { name: 'VOLUNDR_SESSION_NAME', value: session.name },
        { name: 'VOLUNDR_OWNER_ID', value: session.ownerId },
        { name: 'VOLUNDR_MODEL', value: launch.model },
        { name: 'VOLUNDR_CLI', value: launch.cli },
        ...(options.apiUrl ? [{ name: 'VOLUNDR_API_URL', value: options.apiUrl }] : []),
      ];
      const containers = [
        service(
          'skuld',
          'broker',
          options.ports?.broker ?? 8081,
          options.images?.broker,
          options.readinessPaths?.broker ?? '/healthz',
          brokerEnv,
        ),
        service(
          'terminal',
          'terminal',
          options.ports?.terminal ?? 7681,
          options.images?.terminal,
          options.readinessPaths?.terminal ?? '/healthz',
          [{ name: 'VOLUNDR_TERMINAL_RESTRICTED', value: String(launch.terminalRestricted) }],
        ),
      ];
      if (options.ide !== false) {
        containers.push(
          service(
            'ide',
            'ide',
            options.ports?.ide ?? 8443,
            options.images?.ide,
            options.readinessPaths?.ide ?? '/healthz',
            [],
          ),
        );
      }
      return {
        values: {
          session: {
            id: session.id,
            name: session.name,
            ownerId: session.ownerId,
            tenantId: session.tenantId,
            model: launch.model,
            cli: launch.cli,
          },
          agent: { terminalRestricted: launch.terminalRestricted },
        },
        podSpec: { containers },
      };
    },
  };
}
