/**
 * SecretInjection through the Vault Agent Injector: annotations only. The injector's webhook
 * adds an agent that logs in with the pod's service account (Vault Kubernetes auth) and writes
 * each credential to `/vault/secrets/<name>`; Volundr never sees a value.
 */
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { SecretInjection } from '@volundr/core/sessions/ports/secret-injection';
import { z } from 'zod';
import { credentialFileName, expandTemplate } from './credential-paths';

export const ZVaultAgentInjectionOptions = z.strictObject({
  /** The Vault Kubernetes-auth role sessions log in with. */
  role: z.string().min(1).max(253),
  /** Where a user's credential lives: `{ownerId}`, `{tenantId}` and `{credential}` are replaced. */
  secretPath: z.string().min(1).max(500).default('secret/data/volundr/users/{ownerId}/{credential}'),
  /** Render each credential as `KEY=value` lines (an env file) instead of Vault's JSON. */
  envFileFormat: z.boolean().default(true),
  /** Only fetch at start (no agent sidecar renewing leases for the session's lifetime). */
  prePopulateOnly: z.boolean().default(false),
  /** Vault auth mount path, when not `auth/kubernetes`. */
  authPath: z.string().min(1).max(253).optional(),
});
export type VaultAgentInjectionOptions = z.input<typeof ZVaultAgentInjectionOptions>;

const PREFIX = 'vault.hashicorp.com';

export function createVaultAgentInjection(input: VaultAgentInjectionOptions): SecretInjection {
  const options = ZVaultAgentInjectionOptions.parse(input);
  return {
    async podAdditions(session, credentialNames) {
      const annotations: Record<string, string> = {
        [`${PREFIX}/agent-inject`]: 'true',
        [`${PREFIX}/role`]: options.role,
        ...(options.prePopulateOnly ? { [`${PREFIX}/agent-pre-populate-only`]: 'true' } : {}),
        ...(options.authPath ? { [`${PREFIX}/auth-path`]: options.authPath } : {}),
      };
      for (const credential of credentialNames) {
        const file = credentialFileName(credential);
        const path = expandTemplate(options.secretPath, { ...session, credential: file });
        annotations[`${PREFIX}/agent-inject-secret-${file}`] = path;
        if (options.envFileFormat)
          annotations[`${PREFIX}/agent-inject-template-${file}`] =
            `{{- with secret "${path}" -}}{{ range $k, $v := .Data.data }}{{ $k }}={{ $v }}\n{{ end }}{{- end }}`;
      }
      return {
        provider: 'vault-agent',
        volumes: [],
        volumeMounts: [],
        env: [{ name: 'VOLUNDR_CREDENTIALS_DIR', value: '/vault/secrets' }],
        annotations,
      };
    },
    // Nothing was created per session: the agent goes with the pod.
    async cleanupSession() {},
  };
}

/** `{ use: "@volundr/adapter-kubernetes/vault-agent-injection#vaultAgentInjection", role }` */
export const vaultAgentInjection = defineAdapter({
  port: 'secretInjection',
  options: ZVaultAgentInjectionOptions,
  create: (options): SecretInjection => createVaultAgentInjection(options),
});
