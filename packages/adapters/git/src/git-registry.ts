/**
 * `adapters.git: { use: "@volundr/adapter-git/git-registry#gitRegistry", providers: [...] }`:
 * the sessions' git registry (GitRepositories) built on the configured providers, also exposing
 * them (`providers`) for the git procedures and integrations.
 */
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { CredentialValues } from '@volundr/core/credentials/credential-values';
import type { CredentialRecords } from '@volundr/core/credentials/ports/credential-records';
import { registryGitRepositories } from '@volundr/core/integrations/git/registry-git-repositories';
import type { GitProviders } from '@volundr/core/integrations/ports/git-providers';
import type { IntegrationRecords } from '@volundr/core/integrations/ports/integration-records';
import type { GitRepositories } from '@volundr/core/sessions/ports/git-repositories';
import { createGitProviders, type GitProvidersDeps } from './git-providers';
import { type GitProvidersOptions, ZGitProvidersOptions } from './provider-config';

export interface GitRegistry extends GitRepositories {
  providers: GitProviders;
}

export interface GitRegistryDeps {
  integrationRecords: IntegrationRecords;
  credentialRecords: CredentialRecords;
  credentialValues: CredentialValues;
  env?: GitProvidersDeps['env'];
}

export const isGitRegistry = (value: unknown): value is GitRegistry =>
  typeof value === 'object' && value !== null && typeof (value as GitRegistry).providers?.resolve === 'function';

export function createGitRegistry(options: GitProvidersOptions, deps: GitRegistryDeps): GitRegistry {
  const providers = createGitProviders(options, {
    ...(deps.env ? { env: deps.env } : {}),
    instanceCredential: (source) =>
      deps.credentialValues.value(
        { ownerId: source.ownerId, tenantId: source.tenantId },
        { name: source.name, key: 'token' },
      ),
  });
  const parsed = ZGitProvidersOptions.parse(options);
  return {
    ...registryGitRepositories({
      providers,
      integrations: deps.integrationRecords,
      credentials: deps.credentialRecords,
      values: deps.credentialValues,
      validateRemotely: parsed.validateRemotely,
    }),
    providers,
  };
}

export const gitRegistry = defineAdapter({
  port: 'gitRepositories',
  options: ZGitProvidersOptions,
  requires: ['integrationRecords', 'credentialRecords', 'credentialValues'],
  create: (options, deps: GitRegistryDeps): GitRegistry => createGitRegistry(options, deps),
});
