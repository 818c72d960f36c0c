/**
 * The Secrets port on stored credentials: a session's `envSecretRefs` (`{ env, secret, key }`)
 * name one of the owner's credentials and one of its keys. The env var references the value
 * (never carries it): on Kubernetes with the Kubernetes Secrets store, the credential's own
 * Secret (`secretKeyRef`); otherwise the credential by name, which the runtime reads at start
 * through `SessionSecrets.secretValue` (the local runtime: into the process environment).
 */
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { GIT_KEY } from '@volundr/core/credentials/credential-values';
import type { CredentialRecords } from '@volundr/core/credentials/ports/credential-records';
import type { SecretStore } from '@volundr/core/credentials/ports/secret-store';
import { DomainError } from '@volundr/core/errors';
import type { Secrets } from '@volundr/core/sessions/ports/secrets';
import { z } from 'zod';

export function createCredentialSecrets(deps: {
  credentialRecords: CredentialRecords;
  credentialStore: SecretStore;
}): Secrets {
  return {
    async envFor(session, refs) {
      const out = [];
      for (const ref of refs) {
        const record = await deps.credentialRecords.byName(session.ownerId, ref.secret);
        if (!record || record.tenantId !== session.tenantId)
          throw new DomainError(
            'BAD_REQUEST',
            `envSecretRefs: you have no credential "${ref.secret}" (for ${ref.env})`,
            {
              env: ref.env,
            },
          );
        const gitKey = ref.key === GIT_KEY && (record.type === 'git_credential' || record.type === 'oauth_token');
        if (!record.keys.includes(ref.key) && !gitKey)
          throw new DomainError(
            'BAD_REQUEST',
            `envSecretRefs: credential "${ref.secret}" has no key "${ref.key}" (for ${ref.env}; it has ${record.keys.join(', ')})`,
            { env: ref.env },
          );
        const location = { ownerId: record.ownerId, tenantId: record.tenantId, name: record.name };
        out.push({
          name: ref.env,
          secretRef: { name: deps.credentialStore.podSecretName?.(location) ?? record.name, key: ref.key },
        });
      }
      return out;
    },
    // Nothing is created per session: references point at the owner's credentials.
    async deleteSessionSecrets() {},
  };
}

/** `{ use: "@volundr/adapter-git/credential-secrets#credentialSecrets" }` */
export const credentialSecrets = defineAdapter({
  port: 'secrets',
  options: z.strictObject({}),
  requires: ['credentialRecords', 'credentialStore'],
  create: (_options, deps: { credentialRecords: CredentialRecords; credentialStore: SecretStore }): Secrets =>
    createCredentialSecrets(deps),
});
