import type { SecretInjection } from '../ports/secret-injection';
import { type Contributor, emptyContribution } from '../session-context';

/**
 * The owner's credentials chosen for the session plus those its integrations use, made
 * available by the SecretInjection port (volumes, mounts, annotations — never values).
 */
export function secretInjectionContributor(secretInjection: SecretInjection): Contributor {
  return {
    name: 'SecretInjection',
    async contribute({ session, launch, integrations }) {
      const names = [
        ...new Set([
          ...launch.credentialNames,
          ...integrations.flatMap((c) => (c.enabled && c.credentialName ? [c.credentialName] : [])),
        ]),
      ];
      if (names.length === 0) return emptyContribution();
      const additions = await secretInjection.podAdditions(
        { sessionId: session.id, ownerId: session.ownerId, tenantId: session.tenantId },
        names,
      );
      return {
        values: { secrets: { provider: additions.provider, credentials: names } },
        podSpec: {
          volumes: additions.volumes,
          volumeMounts: additions.volumeMounts,
          env: additions.env,
          annotations: additions.annotations,
        },
      };
    },
    async cleanup({ session }) {
      await secretInjection.cleanupSession(session.id);
    },
  };
}
