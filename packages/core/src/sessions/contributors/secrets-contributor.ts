import type { Secrets } from '../ports/secrets';
import { type Contributor, emptyContribution } from '../session-context';

/** Env vars that reference secrets (the launch's envSecretRefs); deletes session secrets on cleanup. */
export function secretsContributor(secrets: Secrets): Contributor {
  return {
    name: 'Secrets',
    async contribute({ session, launch }) {
      if (launch.envSecretRefs.length === 0) return emptyContribution();
      const env = await secrets.envFor(
        { sessionId: session.id, ownerId: session.ownerId, tenantId: session.tenantId },
        launch.envSecretRefs,
      );
      return { values: {}, podSpec: { env } };
    },
    async cleanup({ session }) {
      await secrets.deleteSessionSecrets(session.id);
    },
  };
}
