import type { Resources } from '../ports/resources';
import type { Contributor } from '../session-context';

/** CPU, memory and GPU for the session, and where it may be scheduled. */
export function resourceContributor(resources: Resources): Contributor {
  return {
    name: 'Resource',
    async contribute({ session, launch }) {
      const resolved = await resources.resolve(launch.resources, {
        ownerId: session.ownerId,
        tenantId: session.tenantId,
      });
      return {
        values: { resources: resolved.resources },
        podSpec: {
          nodeSelector: resolved.nodeSelector,
          tolerations: resolved.tolerations,
          ...(resolved.runtimeClassName ? { runtimeClassName: resolved.runtimeClassName } : {}),
        },
      };
    },
  };
}
