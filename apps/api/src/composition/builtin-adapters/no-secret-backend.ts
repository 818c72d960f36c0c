import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import { DomainError } from '@volundr/core/errors';
import type { Integrations } from '@volundr/core/sessions/ports/integrations';
import type { SecretInjection } from '@volundr/core/sessions/ports/secret-injection';
import type { Secrets } from '@volundr/core/sessions/ports/secrets';
import { z } from 'zod';

// What a server without a secret backend or integrations does: sessions that need none start
// normally; a session naming a credential or a secret is refused with a reason, never started
// without what it asked for. The Git/credentials work replaces these through `adapters.*`.

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

export function createNoSecretInjection(): SecretInjection {
  return {
    async podAdditions(_session, credentialNames) {
      if (credentialNames.length > 0)
        throw new DomainError(
          'BAD_REQUEST',
          `credentialNames: this server has no secret backend (adapters.secretInjection), so ${quoted(credentialNames)} cannot be given to the session`,
        );
      return { provider: 'none', volumes: [], volumeMounts: [], env: [], annotations: {} };
    },
    async cleanupSession() {},
  };
}

export function createNoSecrets(): Secrets {
  return {
    async envFor(_session, refs) {
      if (refs.length > 0)
        throw new DomainError(
          'BAD_REQUEST',
          `envSecretRefs: this server has no secret store (adapters.secrets), so ${quoted(refs.map((r) => r.secret))} cannot be referenced`,
        );
      return [];
    },
    async deleteSessionSecrets() {},
  };
}

export function createNoIntegrations(): Integrations {
  return { forOwner: async () => [] };
}

const ZNoOptions = z.strictObject({});

export const noSecretInjection = defineAdapter({
  port: 'secretInjection',
  options: ZNoOptions,
  create: () => createNoSecretInjection(),
});
export const noSecrets = defineAdapter({ port: 'secrets', options: ZNoOptions, create: () => createNoSecrets() });
export const noIntegrations = defineAdapter({
  port: 'integrations',
  options: ZNoOptions,
  create: () => createNoIntegrations(),
});
