import type { CredentialValues } from '../../credentials/credential-values';
import { GIT_KEY } from '../../credentials/credential-values';
import type { CredentialRecords } from '../../credentials/ports/credential-records';
import type { GitAuth, GitProviders, ResolvedRepo } from '../ports/git-providers';
import type { IntegrationRecords } from '../ports/integration-records';

export interface GitCredentialDeps {
  providers: GitProviders;
  integrations: IntegrationRecords;
  credentials: CredentialRecords;
  values: CredentialValues;
}

type Owner = { ownerId: string; tenantId: string };

/**
 * The credential a person's git access to `repo` uses, by name: their enabled integration with
 * the repository's provider instance, else a git credential of theirs for its host; null when
 * they have neither (the instance's own token, or anonymous access, is used).
 */
export async function gitCredentialFor(
  deps: GitCredentialDeps,
  owner: Owner,
  repo: ResolvedRepo,
): Promise<string | null> {
  if (repo.kind !== 'git') {
    const integration = await deps.integrations.byProvider(owner.ownerId, repo.provider);
    if (integration?.enabled && integration.tenantId === owner.tenantId) return integration.credentialName;
  }
  const own = await deps.credentials.listForOwner(owner, { type: 'git_credential' });
  const forHost = own.find((c) => c.metadata.host?.toLowerCase() === repo.host);
  return forHost?.name ?? null;
}

/** The person's token for provider API calls (and ls-remote), refreshed first when due. */
export async function gitAuthFor(deps: GitCredentialDeps, owner: Owner, repo: ResolvedRepo): Promise<GitAuth> {
  const name = await gitCredentialFor(deps, owner, repo);
  if (!name) return { token: null };
  const value = await deps.values.value(owner, { name, key: GIT_KEY });
  if (!value) return { token: null };
  const colon = value.indexOf(':');
  return colon > 0 ? { username: value.slice(0, colon), token: value.slice(colon + 1) } : { token: value };
}
