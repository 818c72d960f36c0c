import { DomainError } from '../errors';
import type { Secrets } from '../sessions/ports/secrets';

/** Test double of Secrets: every secret exists except those listed in `missing`. */
export function fakeSecrets(options: { missing?: string[] } = {}): Secrets & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async envFor(_session, refs) {
      for (const ref of refs)
        if (options.missing?.includes(ref.secret))
          throw new DomainError('BAD_REQUEST', `envSecretRefs: secret "${ref.secret}" does not exist`);
      return refs.map((r) => ({ name: r.env, secretRef: { name: r.secret, key: r.key } }));
    },
    async deleteSessionSecrets(sessionId) {
      calls.push(`deleteSessionSecrets:${sessionId}`);
    },
  };
}
